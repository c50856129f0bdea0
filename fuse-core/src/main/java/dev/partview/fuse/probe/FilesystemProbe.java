package dev.partview.fuse.probe;

import dev.partview.fuse.Errno;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.TypeAlias;
import jnr.ffi.byref.NumberByReference;
import jnr.ffi.byref.PointerByReference;

/**
 * Finds the filesystem (or LUKS header, LVM or RAID member, swap area) in a byte range of an image
 * with libblkid, as {@code blkid -p -O OFFSET -S SIZE IMAGE} does: superblocks only, "safe" probing
 * (two different signatures in one range are reported as ambivalent, not guessed).
 *
 * <p>One instance holds the image open for a series of ranges: libblkid opens the file itself (an
 * "owner" probe), and a second probe without a descriptor of its own is pointed at each range in
 * turn, so nothing here needs a libc binding. Not thread-safe: one instance per thread.
 *
 * <p>The library is {@code libblkid.so.1}, loaded once by its SONAME so that no {@code -dev}
 * package is needed; the system property {@code partview.libblkid} names another file (tests use it
 * to simulate a system without libblkid).
 */
public final class FilesystemProbe implements AutoCloseable {
  private static final String LIBRARY = System.getProperty("partview.libblkid", "libblkid.so.1");

  private final LibBlkid lib;
  private final Path image;
  private final Pointer owner;
  private final Pointer range;
  private final int fd;
  private final long imageSize;
  private boolean closed;

  private FilesystemProbe(LibBlkid lib, Path image, Pointer owner, Pointer range) {
    this.lib = lib;
    this.image = image;
    this.owner = owner;
    this.range = range;
    this.fd = lib.blkid_probe_get_fd(owner);
    this.imageSize = lib.blkid_probe_get_size(owner);
  }

  /** Whether libblkid could be loaded. */
  public static boolean available() {
    return Library.INSTANCE != null;
  }

  /** Why libblkid could not be loaded; empty when it was. */
  public static Optional<String> unavailableReason() {
    return Optional.ofNullable(Library.FAILURE);
  }

  /** E.g. {@code "libblkid 2.38.1"}; empty when libblkid is not available. */
  public static Optional<String> libraryVersion() {
    LibBlkid lib = Library.INSTANCE;
    if (lib == null) return Optional.empty();
    PointerByReference ver = new PointerByReference();
    lib.blkid_get_library_version(ver, new PointerByReference());
    Pointer p = ver.getValue();
    return Optional.of("libblkid " + (p == null ? "?" : p.getString(0)));
  }

  /**
   * Opens an image for probing.
   *
   * @throws IllegalStateException if libblkid is not available (check {@link #available()})
   * @throws IOException naming the image if libblkid cannot open it
   */
  public static FilesystemProbe open(Path image) throws IOException {
    LibBlkid lib = Library.INSTANCE;
    if (lib == null)
      throw new IllegalStateException("libblkid is not available: " + Library.FAILURE);
    Pointer owner = lib.blkid_new_probe_from_filename(image.toString());
    if (owner == null) {
      int errno = Runtime.getRuntime(lib).getLastError();
      if (errno == Errno.ENOENT.value()) throw new NoSuchFileException(image.toString());
      if (errno == Errno.EACCES.value()) throw new AccessDeniedException(image.toString());
      throw new IOException(image + ": libblkid cannot open it (errno " + errno + ")");
    }
    Pointer range = lib.blkid_new_probe();
    if (range == null) {
      lib.blkid_free_probe(owner);
      throw new IOException("libblkid: out of memory for a probe");
    }
    return new FilesystemProbe(lib, image, owner, range);
  }

  /** The image size as libblkid sees it (block devices included). */
  public long imageSize() {
    return imageSize;
  }

  /**
   * What is in {@code size} bytes from {@code offset}. A range reaching past the end of the image
   * is cut to what exists (a truncated image); one starting past it holds nothing.
   *
   * @param sectorSize the logical sector size the table was read with (some probes use it), or 0
   *     when there is no table (libblkid then assumes 512)
   * @return empty when libblkid recognises nothing there
   * @throws IOException when libblkid fails on the range, or finds two different signatures in it
   *     (ambivalent: e.g. a new filesystem over an old one that was not wiped)
   */
  public Optional<Filesystem> probe(long offset, long size, int sectorSize) throws IOException {
    if (closed) throw new IllegalStateException("probe of " + image + " is closed");
    if (offset < 0 || size < 0) {
      throw new IllegalArgumentException("negative range " + offset + "+" + size);
    }
    if (offset >= imageSize || size == 0) return Optional.empty();
    long length = Math.min(size, imageSize - offset);
    String where = image + " bytes " + offset + ".." + (offset + length - 1);
    if (lib.blkid_probe_set_device(range, fd, offset, length) != 0) {
      throw new IOException("libblkid: cannot probe " + where);
    }
    if (sectorSize > 0) lib.blkid_probe_set_sectorsize(range, sectorSize);
    lib.blkid_probe_enable_partitions(range, 0);
    lib.blkid_probe_enable_superblocks(range, 1);
    lib.blkid_probe_set_superblocks_flags(
        range,
        LibBlkid.SUBLKS_TYPE
            | LibBlkid.SUBLKS_LABEL
            | LibBlkid.SUBLKS_UUID
            | LibBlkid.SUBLKS_USAGE);
    int rc = lib.blkid_do_safeprobe(range);
    if (rc == 1) return Optional.empty();
    if (rc == -2) {
      throw new IOException(
          "libblkid: more than one signature in " + where + " (ambivalent; see wipefs -n)");
    }
    if (rc != 0) throw new IOException("libblkid: probing " + where + " failed");
    String type = value("TYPE");
    if (type == null) return Optional.empty();
    return Optional.of(new Filesystem(type, value("LABEL"), value("UUID"), value("USAGE")));
  }

  private String value(String name) {
    PointerByReference data = new PointerByReference();
    NumberByReference len = new NumberByReference(TypeAlias.size_t);
    if (lib.blkid_probe_lookup_value(range, name, data, len) != 0) return null;
    Pointer p = data.getValue();
    if (p == null) return null;
    // len counts the terminating NUL; libblkid encodes LABEL as UTF-8 (blkid_probe_set_utf8label).
    int n = (int) Math.max(0, len.longValue() - 1);
    byte[] bytes = new byte[n];
    p.get(0, bytes, 0, n);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    lib.blkid_free_probe(range);
    lib.blkid_free_probe(owner); // closes the descriptor it opened
  }

  /** Loads libblkid at first use, once; remembers why when it cannot. */
  private static final class Library {
    static final LibBlkid INSTANCE;
    static final String FAILURE;

    static {
      LibBlkid lib = null;
      String failure = null;
      try {
        lib = LibraryLoader.create(LibBlkid.class).failImmediately().load(LIBRARY);
      } catch (LinkageError | RuntimeException e) {
        String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
        failure = LIBRARY + " could not be loaded (" + why + ")";
      }
      INSTANCE = lib;
      FAILURE = failure;
    }
  }
}
