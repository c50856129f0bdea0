package dev.partview.fuse.sys;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;

/**
 * The libc calls partview makes itself, bound with jnr-ffi: loop devices (open, close, ioctl, flock
 * on the attach lock), the mount (fallocate on the image, setsid for the daemon, signal, statfs to
 * ask a mount whether its daemon answers) and extract (lseek with SEEK_DATA/SEEK_HOLE). Nothing
 * else in the code base calls native code directly (libfuse and libblkid aside): use {@link Sys}.
 *
 * <p>{@code open} and {@code ioctl} are variadic in C, hence {@code @Variadic}. {@code @SaveError}
 * makes jnr-ffi read {@code errno} right after the call, before the JVM can clobber it. {@code
 * unsigned long request} is a Java {@code long}: partview supports 64-bit Linux only.
 */
public interface LibC {
  int O_ACCMODE = 03;
  int O_RDONLY = 0;
  int O_WRONLY = 01;
  int O_RDWR = 02;
  int O_CLOEXEC = 02000000;

  /** {@code fallocate(2)} mode: leave the file size alone. */
  int FALLOC_FL_KEEP_SIZE = 0x01;

  /** {@code fallocate(2)} mode: deallocate the range (with KEEP_SIZE). */
  int FALLOC_FL_PUNCH_HOLE = 0x02;

  /** {@code flock(2)}: a shared lock. */
  int LOCK_SH = 1;

  /** {@code flock(2)}: an exclusive lock. */
  int LOCK_EX = 2;

  /** {@code flock(2)}: fail with EWOULDBLOCK instead of waiting. */
  int LOCK_NB = 4;

  /** {@code lseek(2)} whence: the next offset holding data ({@code ENXIO} past the last). */
  int SEEK_DATA = 3;

  /** {@code lseek(2)} whence: the next hole (every file ends with an implicit one). */
  int SEEK_HOLE = 4;

  @SaveError
  @Variadic(fixedCount = 2)
  int open(String path, int flags, int mode);

  @SaveError
  int close(int fd);

  @SaveError
  @Variadic(fixedCount = 2)
  int ioctl(int fd, long request, long arg);

  @SaveError
  @Variadic(fixedCount = 2)
  int ioctl(int fd, long request, Pointer arg);

  @SaveError
  int flock(int fd, int operation);

  @SaveError
  long lseek(int fd, long offset, int whence);

  @SaveError
  int fallocate(int fd, int mode, long offset, long length);

  @SaveError
  int setsid();

  /** {@code sighandler_t signal(int, sighandler_t)}: handlers as addresses (0 = SIG_DFL). */
  long signal(int signum, long handler);

  @SaveError
  int statfs(String path, Pointer buf);

  String strerror(int errnum);
}
