package dev.partview.cli;

import com.kenai.jffi.MemoryIO;
import dev.partview.fuse.sys.MountTable;
import dev.partview.testimages.Tool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import jnr.ffi.Pointer;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * A minimal read-only FUSE filesystem that looks like a partview mount in the mount table (type
 * {@code fuse.partview}, source = the image path, or {@code partview} with one folder per image),
 * serving byte ranges of an image with positional reads. It stands in for {@code partview mount},
 * which is built elsewhere, so that detach-by-image through a mount and loop-on-FUSE can be tested
 * now.
 */
final class StandInFuseMount extends FuseStubFS {
  record Range(long offset, long length) {}

  private final FileChannel image;
  private final Map<String, Range> files = new TreeMap<>();
  private final Set<String> dirs = new TreeSet<>();
  private final Path mountPoint;

  /**
   * @param files path inside the mount ({@code /p1} or {@code /disk.img/p1}) → range of the image
   * @param fsname the mount's source: the image path, or {@code partview} for several images
   */
  private StandInFuseMount(Path image, Path mountPoint, Map<String, Range> files)
      throws IOException {
    this.image = FileChannel.open(image, StandardOpenOption.READ);
    this.mountPoint = mountPoint;
    this.files.putAll(files);
    dirs.add("/");
    for (String f : files.keySet()) {
      for (int i = f.indexOf('/', 1); i > 0; i = f.indexOf('/', i + 1)) dirs.add(f.substring(0, i));
    }
  }

  static StandInFuseMount mount(
      Path image, Path mountPoint, String fsname, Map<String, Range> files)
      throws IOException, InterruptedException {
    StandInFuseMount fs = new StandInFuseMount(image, mountPoint, files);
    fs.mount(
        mountPoint,
        false,
        false,
        new String[] {"-o", "ro,kernel_cache,subtype=partview,fsname=" + fsname});
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!isMounted(mountPoint)) {
      if (System.nanoTime() > deadline) throw new IOException("FUSE mount did not appear");
      Thread.sleep(20);
    }
    return fs;
  }

  private static boolean isMounted(Path mnt) throws IOException {
    return MountTable.read().at(mnt.toString()).filter(MountTable.Entry::isPartview).isPresent();
  }

  @Override
  public int getattr(String path, FileStat stat) {
    if (dirs.contains(path)) {
      stat.st_mode.set(FileStat.S_IFDIR | 0555);
      stat.st_nlink.set(2);
      return 0;
    }
    Range r = files.get(path);
    if (r == null) return -ErrorCodes.ENOENT();
    stat.st_mode.set(FileStat.S_IFREG | 0444);
    stat.st_nlink.set(1);
    stat.st_size.set(r.length());
    return 0;
  }

  @Override
  public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
    if (!dirs.contains(path)) return -ErrorCodes.ENOENT();
    filler.apply(buf, ".", null, 0);
    filler.apply(buf, "..", null, 0);
    String prefix = path.equals("/") ? "/" : path + "/";
    Set<String> names = new TreeSet<>();
    for (String p : files.keySet()) collect(p, prefix, names);
    for (String d : dirs) collect(d, prefix, names);
    for (String n : names) filler.apply(buf, n, null, 0);
    return 0;
  }

  private static void collect(String p, String prefix, Set<String> names) {
    if (p.startsWith(prefix) && p.length() > prefix.length()) {
      String rest = p.substring(prefix.length());
      names.add(rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest);
    }
  }

  @Override
  public int open(String path, FuseFileInfo fi) {
    return files.containsKey(path) ? 0 : -ErrorCodes.ENOENT();
  }

  /** Positional reads straight into the FUSE buffer: safe from many FUSE threads at once. */
  @Override
  public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
    Range r = files.get(path);
    if (r == null) return -ErrorCodes.ENOENT();
    if (offset >= r.length()) return 0;
    int n = (int) Math.min(size, r.length() - offset);
    ByteBuffer bb = MemoryIO.getInstance().newDirectByteBuffer(buf.address(), n);
    try {
      while (bb.hasRemaining()) {
        if (image.read(bb, r.offset() + offset + bb.position()) < 0) break;
      }
      return bb.position();
    } catch (IOException e) {
      return -ErrorCodes.EIO();
    }
  }

  /** umount(8) first (not jnr-fuse's lazy one), then let the FUSE loop end. */
  public void close() throws IOException, InterruptedException {
    try {
      if (isMounted(mountPoint)) Tool.ok("umount", mountPoint.toString());
    } finally {
      umount();
      image.close();
    }
  }
}
