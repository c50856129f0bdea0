package dev.partview.fuse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The filesystem, on plain Java types: stat, list, read (as {@link #locate}: where the bytes are),
 * write, truncate, fsync, fallocate. No native code and no FUSE structs here; {@link PartitionFs}
 * only converts. Failures are {@link FsException}s carrying the errno to answer, or plain {@link
 * IOException}s (answered with EIO).
 *
 * <p>Thread safety: the node map is immutable; the offset views are a concurrent map; data moves
 * with positional channel I/O only. Any number of FUSE threads may call any method at once.
 *
 * <p>Rules a read-write mount keeps (the image never changes size, and no partition can spill into
 * its neighbour): a write is cut at the end of its file, a write starting at or past the end fails
 * with EFBIG, truncating to the current size or less does nothing, larger is EFBIG, and
 * fallocate/punch-hole is cut to the file and never grows the image.
 */
public final class PartitionFiles {

  /** Owner of every file: the user who mounted. */
  public record Owner(int uid, int gid) {}

  public enum Kind {
    DIRECTORY,
    FILE,
    SYMLINK
  }

  /**
   * @param permissions the nine rwx bits
   * @param blocks 512-byte blocks, so that du shows the size
   * @param links hard links: 2 + subfolders for a folder, 1 otherwise
   */
  public record Attr(
      Kind kind,
      int permissions,
      long size,
      long blocks,
      int links,
      int uid,
      int gid,
      long mtimeSeconds) {}

  /**
   * What statfs (df) shows: the images' total size as used space, nothing free.
   *
   * @param blockSize bytes per block
   * @param blocks total size of the images in blocks
   * @param files number of names in the tree
   */
  public record FsStats(long blockSize, long blocks, long files, int nameMax) {}

  /** Reaches the image for fallocate; the native part lives outside the core. */
  @FunctionalInterface
  public interface SpaceAllocator {
    /**
     * {@code fallocate(2)} on the image file; {@code mode} always includes KEEP_SIZE.
     *
     * @throws FsException carrying the errno the call failed with
     */
    void fallocate(Image image, int mode, long offset, long length) throws IOException;
  }

  /** {@code <linux/falloc.h>}. */
  public static final int FALLOC_FL_KEEP_SIZE = 0x01;

  public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
  public static final int FALLOC_FL_ZERO_RANGE = 0x10;

  static final int BLOCK_SIZE = 4096;
  static final int NAME_MAX = 255;

  private final Layout layout;
  private final Map<String, Node> nodes;
  private final boolean writable;
  private final Owner owner;
  private final SpaceAllocator allocator;
  private final List<Image> images;

  /**
   * @param writable false: every write is EROFS (and the images should be open read-only)
   * @throws IllegalArgumentException for a layout that cannot be built (see {@link Layout#build})
   */
  public PartitionFiles(
      List<Image> images,
      List<ViewSpec> views,
      boolean writable,
      Owner owner,
      SpaceAllocator allocator) {
    this.images = List.copyOf(images);
    this.layout = Layout.build(this.images, views);
    this.nodes = layout.nodes();
    this.writable = writable;
    this.owner = Objects.requireNonNull(owner, "owner");
    this.allocator = Objects.requireNonNull(allocator, "allocator");
  }

  /** Things to tell the user at mount time (views cut at the end of an image). */
  public List<String> notes() {
    return layout.notes();
  }

  public boolean writable() {
    return writable;
  }

  public List<Image> images() {
    return images;
  }

  public Attr stat(String path) throws FsException {
    Node n = node(path);
    if (n instanceof Node.File f) {
      Window w = f.window();
      int perms = w.image().permissions() & (writable ? 0666 : 0444);
      return new Attr(
          Kind.FILE,
          perms,
          w.length(),
          (w.length() + 511) / 512,
          1,
          owner.uid(),
          owner.gid(),
          w.image().mtimeSeconds());
    }
    if (n instanceof Node.Link l) {
      return new Attr(
          Kind.SYMLINK,
          0777,
          l.target().length(),
          0,
          1,
          owner.uid(),
          owner.gid(),
          images.get(0).mtimeSeconds());
    }
    Image img = n instanceof Node.Dir d ? d.image() : ((Node.OffsetDir) n).image;
    int r = img.permissions() & 0444;
    int links = 2;
    if (n instanceof Node.Dir d) {
      for (String c : d.children()) {
        Node child = nodes.get(Layout.join(path, c));
        if (child instanceof Node.Dir || child instanceof Node.OffsetDir) links++;
      }
    }
    return new Attr(
        Kind.DIRECTORY, r | (r >> 2), 0, 0, links, owner.uid(), owner.gid(), img.mtimeSeconds());
  }

  /** The names in a folder, without {@code .} and {@code ..}. */
  public List<String> list(String path) throws FsException {
    Node n = node(path);
    if (n instanceof Node.Dir d) return d.children();
    if (n instanceof Node.OffsetDir o) {
      List<String> names = new ArrayList<>(o.views.keySet());
      names.sort(null);
      return names;
    }
    throw new FsException(Errno.ENOTDIR, path, "");
  }

  public String readlink(String path) throws FsException {
    if (node(path) instanceof Node.Link l) return l.target();
    throw new FsException(Errno.EINVAL, path, "not a symbolic link");
  }

  /**
   * Checks that {@code path} may be opened.
   *
   * @param forWriting opened O_WRONLY or O_RDWR
   */
  public void open(String path, boolean forWriting) throws FsException {
    window(path);
    if (forWriting && !writable) throw readOnly(path);
  }

  /**
   * Where a read's bytes lie in the image.
   *
   * @param position the byte offset in the image
   * @param length how many bytes: fewer than asked only at the end of the file, 0 past it
   */
  public record Extent(Image image, long position, int length) {}

  /**
   * A read: the image bytes that reading up to {@code size} bytes at {@code offset} of the file
   * returns. The FUSE adapter hands them to libfuse, which reads them from the image itself; the
   * core moves no bytes on reads.
   *
   * @throws FsException ENOENT, EISDIR, or EINVAL for a negative offset
   */
  public Extent locate(String path, long offset, long size) throws FsException {
    Window w = window(path);
    if (offset < 0) throw new FsException(Errno.EINVAL, path, "negative offset " + offset);
    int n = offset >= w.length() ? 0 : (int) Math.min(Math.max(size, 0), w.length() - offset);
    return new Extent(w.image(), w.start() + offset, n);
  }

  /**
   * Writes {@code src} at {@code offset}, cut at the end of the file.
   *
   * @return the number of bytes written
   * @throws FsException EROFS on a read-only mount, EFBIG when {@code offset} is at or past the end
   */
  public int write(String path, ByteBuffer src, long offset) throws IOException {
    Window w = window(path);
    if (!writable) throw readOnly(path);
    if (offset < 0) throw new FsException(Errno.EINVAL, path, "negative offset " + offset);
    if (!src.hasRemaining()) return 0;
    if (offset >= w.length()) {
      throw new FsException(
          Errno.EFBIG,
          path,
          "write at " + offset + " is at or past the end (size " + w.length() + ")");
    }
    int n = (int) Math.min(src.remaining(), w.length() - offset);
    src.limit(src.position() + n);
    FileChannel ch = w.image().channel();
    long pos = w.start() + offset;
    int done = 0;
    while (done < n) done += ch.write(src, pos + done);
    return done;
  }

  /**
   * Truncating to the current size or less does nothing (files have fixed sizes); larger: EFBIG.
   */
  public void truncate(String path, long size) throws FsException {
    Window w = window(path);
    if (!writable) throw readOnly(path);
    if (size < 0) throw new FsException(Errno.EINVAL, path, "negative size " + size);
    if (size > w.length()) {
      throw new FsException(
          Errno.EFBIG, path, "cannot grow to " + size + " (size " + w.length() + ")");
    }
  }

  /** Forces the image's data (and with {@code metadata}, its metadata) to storage. */
  public void fsync(String path, boolean metadata) throws IOException {
    Window w = window(path);
    if (writable) w.image().channel().force(metadata);
  }

  /**
   * fallocate(2) on a file: the range is cut to the file and passed to the image with KEEP_SIZE, so
   * a punched hole in {@code p2} reaches the image and nothing grows. This is what makes {@code
   * fstrim} through a loop device on a partition file keep a sparse image sparse.
   *
   * @throws FsException EROFS read-only; EOPNOTSUPP for modes other than allocate, KEEP_SIZE,
   *     PUNCH_HOLE and ZERO_RANGE; EFBIG when a mode without KEEP_SIZE would grow the file
   */
  public void fallocate(String path, int mode, long offset, long length) throws IOException {
    Window w = window(path);
    if (!writable) throw readOnly(path);
    int known = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE;
    if ((mode & ~known) != 0) {
      throw new FsException(
          Errno.EOPNOTSUPP, path, "fallocate mode 0x" + Integer.toHexString(mode));
    }
    if ((mode & FALLOC_FL_PUNCH_HOLE) != 0
        && ((mode & FALLOC_FL_KEEP_SIZE) == 0 || (mode & FALLOC_FL_ZERO_RANGE) != 0)) {
      throw new FsException(Errno.EINVAL, path, "punch hole needs KEEP_SIZE alone");
    }
    if (offset < 0 || length <= 0) {
      throw new FsException(Errno.EINVAL, path, "range " + offset + "+" + length);
    }
    long end = offset + length;
    if (end < 0 || ((mode & FALLOC_FL_KEEP_SIZE) == 0 && end > w.length())) {
      throw new FsException(
          Errno.EFBIG, path, "range ends at " + end + ", past the end (size " + w.length() + ")");
    }
    if (offset >= w.length()) return;
    long len = Math.min(end, w.length()) - offset;
    allocator.fallocate(w.image(), mode | FALLOC_FL_KEEP_SIZE, w.start() + offset, len);
  }

  /**
   * Creating, deleting, renaming, chmod, chown, utimes: the layout is fixed. EROFS on a read-only
   * mount, EPERM on a writable one, ENOENT when the parent folder does not exist.
   */
  public void refuseChange(String path) throws FsException {
    int slash = path.lastIndexOf('/');
    String parent = slash <= 0 ? "/" : path.substring(0, slash);
    if (!nodes.containsKey(path) && !nodes.containsKey(parent)) throw FsException.noEntry(path);
    if (!writable) throw readOnly(path);
    throw new FsException(Errno.EPERM, path, "the layout of a partview mount is fixed");
  }

  public FsStats statfs() {
    long total = 0;
    for (Image i : images) total += (i.size() + BLOCK_SIZE - 1) / BLOCK_SIZE;
    return new FsStats(BLOCK_SIZE, total, nodes.size(), NAME_MAX);
  }

  /** The window a file path shows; ENOENT for unknown names, EISDIR for folders. */
  public Window window(String path) throws FsException {
    Node n = node(path);
    if (n instanceof Node.File f) return f.window();
    if (n instanceof Node.Link) throw new FsException(Errno.EINVAL, path, "symbolic link");
    throw new FsException(Errno.EISDIR, path, "");
  }

  private Node node(String path) throws FsException {
    Node n = nodes.get(path);
    if (n != null) return n;
    int slash = path.lastIndexOf('/');
    if (slash > 0 && nodes.get(path.substring(0, slash)) instanceof Node.OffsetDir dir) {
      Window w = offsetView(dir, path.substring(slash + 1));
      if (w != null) return new Node.File(w);
    }
    throw FsException.noEntry(path);
  }

  /**
   * The view {@code offset/NAME} names, remembered so that the folder lists it; {@code null} when
   * the name is no range or the offset is at or past the end of the image (ENOENT).
   */
  private static Window offsetView(Node.OffsetDir dir, String name) {
    Window w = dir.views.get(name);
    if (w != null) return w;
    try {
      w = OffsetRange.parse(name, dir.image.sectorSize()).in(dir.image).orElse(null);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (w != null && dir.views.size() < Node.OffsetDir.MAX_LISTED) dir.views.putIfAbsent(name, w);
    return w;
  }

  private static FsException readOnly(String path) {
    return new FsException(Errno.EROFS, path, "mounted read-only (use --rw)");
  }
}
