package dev.partview.fuse.sys;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;

/**
 * The libc calls the mount needs beyond libfuse: fallocate on the image (punched holes reach it),
 * setsid for the background daemon, signal to undo an inherited "ignore SIGINT", and access to tell
 * a dead FUSE mount (ENOTCONN) from a live one. Each returns 0 or the errno, and the caller decides
 * what the errno means. libc is loaded on first use, so merely mentioning this class needs no
 * native library.
 */
public final class Posix {
  private Posix() {}

  /** The bound functions; {@code @SaveError} keeps errno before the JVM can clobber it. */
  public interface Calls {
    @SaveError
    @Variadic(fixedCount = 2)
    int open(String path, int flags, int mode);

    int close(int fd);

    @SaveError
    int fallocate(int fd, int mode, long offset, long length);

    @SaveError
    int setsid();

    /** {@code sighandler_t signal(int, sighandler_t)}: handlers as addresses (0 = SIG_DFL). */
    long signal(int signum, long handler);

    @SaveError
    int statfs(String path, Pointer buf);
  }

  public static final int O_RDWR = 02;
  public static final int O_CLOEXEC = 02000000;
  public static final int SIGINT = 2;
  private static final long SIG_DFL = 0;

  /** {@code sizeof(struct statfs)} on 64-bit Linux is 120; room to spare. */
  private static final int STATFS_SIZE = 256;

  private static final class Holder {
    static final Calls LIBC = LibraryLoader.create(Calls.class).failImmediately().load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
  }

  private static int errno() {
    return LastError.getLastError(Holder.RUNTIME);
  }

  /**
   * Opens {@code path} read-write, close-on-exec.
   *
   * @return the descriptor, or {@code -errno}
   */
  public static int openReadWrite(String path) {
    int fd = Holder.LIBC.open(path, O_RDWR | O_CLOEXEC, 0);
    return fd >= 0 ? fd : -errno();
  }

  public static void close(int fd) {
    if (fd >= 0) Holder.LIBC.close(fd);
  }

  /** {@code fallocate(2)}: 0 or the errno (EOPNOTSUPP when the image's filesystem cannot). */
  public static int fallocate(int fd, int mode, long offset, long length) {
    return Holder.LIBC.fallocate(fd, mode, offset, length) == 0 ? 0 : errno();
  }

  /** {@code setsid(2)}: 0 or the errno (EPERM when already a process-group leader). */
  public static int setsid() {
    return Holder.LIBC.setsid() >= 0 ? 0 : errno();
  }

  /**
   * Sets a signal that this process inherited as ignored back to the default, so that the JVM can
   * then take it over. Only call it for a signal that is ignored (see {@code SigIgn} in {@code
   * /proc/self/status}): for any other, it would throw away the JVM's own handler.
   */
  public static void resetIgnored(int signum) {
    Holder.LIBC.signal(signum, SIG_DFL);
  }

  /**
   * {@code statfs(2)}: 0, or the errno (ENOTCONN on a FUSE mount whose daemon died). Unlike stat or
   * access, FUSE never answers statfs from a cache: it always asks the daemon (when the caller may
   * use the mount at all), so the answer says whether a daemon is there.
   */
  public static int statfs(String path) {
    Pointer buf = Memory.allocateDirect(Holder.RUNTIME, STATFS_SIZE, true);
    return Holder.LIBC.statfs(path, buf) == 0 ? 0 : errno();
  }
}
