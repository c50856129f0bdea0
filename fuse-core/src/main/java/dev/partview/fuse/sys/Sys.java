package dev.partview.fuse.sys;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Checked wrappers over {@link LibC}: every failure becomes an {@link ErrnoException} naming the
 * call and its target. libc is loaded on first use, so classes that merely mention this one (and
 * unit tests) need no native library.
 */
public final class Sys {
  private Sys() {}

  private static final class Holder {
    static final LibC LIBC = LibraryLoader.create(LibC.class).failImmediately().load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
  }

  private static int errno() {
    return LastError.getLastError(Holder.RUNTIME);
  }

  /** {@code open(path, flags | O_CLOEXEC)}; the descriptor is never inherited by children. */
  public static int open(String path, int flags) throws ErrnoException {
    int fd = Holder.LIBC.open(path, flags | LibC.O_CLOEXEC, 0);
    if (fd < 0) throw new ErrnoException("open", path, errno());
    return fd;
  }

  /** Closes quietly: a close error on a descriptor only used for ioctls carries no news. */
  public static void close(int fd) {
    if (fd >= 0) Holder.LIBC.close(fd);
  }

  /**
   * An ioctl whose argument is a value (or none).
   *
   * @param name the request's name for error messages, e.g. {@code "LOOP_CLR_FD"}
   * @param target the device, for error messages
   * @return the ioctl's non-negative result
   */
  public static int ioctl(int fd, long request, long arg, String name, String target)
      throws ErrnoException {
    int r = Holder.LIBC.ioctl(fd, request, arg);
    if (r < 0) throw new ErrnoException(name, target, errno());
    return r;
  }

  /**
   * An ioctl whose argument points to a struct: {@code struct} is copied into zeroed native memory,
   * passed, and copied back (the kernel may fill it in).
   */
  public static int ioctl(int fd, long request, byte[] struct, String name, String target)
      throws ErrnoException {
    Pointer p = Memory.allocateDirect(Holder.RUNTIME, struct.length, true);
    p.put(0, struct, 0, struct.length);
    int r = Holder.LIBC.ioctl(fd, request, p);
    int e = r < 0 ? errno() : 0;
    p.get(0, struct, 0, struct.length);
    if (r < 0) throw new ErrnoException(name, target, e);
    return r;
  }

  /**
   * Native memory that stays put while the caller uses its address, for structs that point to other
   * structs (BLKPG). Zeroed. The JVM frees it when the returned pointer becomes unreachable.
   */
  public static Pointer allocate(int size) {
    return Memory.allocateDirect(Holder.RUNTIME, size, true);
  }

  /** An ioctl on a struct already in native memory. */
  public static int ioctl(int fd, long request, Pointer arg, String name, String target)
      throws ErrnoException {
    int r = Holder.LIBC.ioctl(fd, request, arg);
    if (r < 0) throw new ErrnoException(name, target, errno());
    return r;
  }
}
