package dev.partview.fuse.sys;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;

/**
 * The few libc calls partview makes itself, bound with jnr-ffi. Nothing else in the code base calls
 * native code directly: use {@link Sys}, which turns failures into {@link ErrnoException}.
 *
 * <p>{@code open} and {@code ioctl} are variadic in C, hence {@code @Variadic}. {@code @SaveError}
 * makes jnr-ffi read {@code errno} right after the call, before the JVM can clobber it. {@code
 * unsigned long request} is a Java {@code long}: partview supports 64-bit Linux only.
 */
public interface LibC {
  int O_RDONLY = 0;
  int O_RDWR = 02;
  int O_CLOEXEC = 02000000;

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
}
