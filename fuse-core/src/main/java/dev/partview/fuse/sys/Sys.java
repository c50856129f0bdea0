package dev.partview.fuse.sys;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jnr.constants.platform.Errno;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The calls of {@link LibC}, each with its errno handled in one of two ways. Failures become an
 * {@link ErrnoException} naming the call and its target. Where an errno is an answer rather than a
 * failure (statfs asking a mount whether its daemon lives, setsid on a group leader) the call
 * returns {@code -errno}, and the caller decides what it means.
 *
 * <p>libc is bound on first use, so classes that merely mention this one (and unit tests) need no
 * native library. Binding generates classes and costs 100-150 ms of CPU in a fresh JVM; a caller
 * that can go on without it starts it early with {@link #bindInBackground}.
 */
public final class Sys {
  private Sys() {}

  private static final long SIG_DFL = 0;

  /** {@code sizeof(struct statfs)} on 64-bit Linux is 120; room to spare. */
  private static final int STATFS_SIZE = 256;

  /** The {@code f_type} of every FUSE mount (linux/magic.h). */
  public static final long FUSE_SUPER_MAGIC = 0x65735546L;

  private static final class Holder {
    static final LibC LIBC = LibraryLoader.create(LibC.class).failImmediately().load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    static void bind() {
      // Reaching this method has run the initializers above.
    }
  }

  private static volatile CompletableFuture<Void> binding;

  /**
   * Starts binding libc on a daemon thread, once; never blocks. Once the future is done, the calls
   * here no longer wait for the binding. It fails (with the {@code LinkageError}) where libc cannot
   * be bound, and every call here would then throw that error too.
   */
  public static CompletableFuture<Void> bindInBackground() {
    CompletableFuture<Void> f = binding;
    if (f != null) return f;
    synchronized (Sys.class) {
      if (binding == null) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread t =
            new Thread(
                () -> {
                  try {
                    Holder.bind();
                    started.complete(null);
                  } catch (Throwable e) { // UnsatisfiedLinkError, LinkageError: no native access
                    started.completeExceptionally(e);
                  }
                },
                "partview-libc-binder");
        t.setDaemon(true);
        t.start();
        binding = started;
      }
      return binding;
    }
  }

  /**
   * Waits up to 10 s for a binding started by {@link #bindInBackground} (or {@code null}: nothing
   * to wait for). jffi unpacks its stub to a temporary file and registers it for deletion at exit,
   * which fails once the JVM is exiting: a process that started a binding lets it finish before it
   * ends, or leaves a {@code jffi*.so} file behind. A failed binding is nothing to wait for.
   */
  public static void awaitBinding(Future<?> binding) {
    if (binding == null) return;
    try {
      binding.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // No binding (or a stuck one): nothing more to do before exiting.
    }
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

  /**
   * Closes quietly, and does nothing for a negative descriptor: a close error on a descriptor used
   * only for ioctls, fallocate or lseek carries no news.
   */
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

  /**
   * {@code fallocate(2)} on {@code target}'s descriptor (EOPNOTSUPP when its filesystem cannot).
   */
  public static void fallocate(int fd, int mode, long offset, long length, String target)
      throws ErrnoException {
    if (Holder.LIBC.fallocate(fd, mode, offset, length) != 0) {
      throw new ErrnoException("fallocate", target, errno());
    }
  }

  /**
   * {@code fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length)}: the range
   * reads as zeros and takes no space (EOPNOTSUPP when the filesystem has no holes).
   */
  public static void punchHole(int fd, long offset, long length, String target)
      throws ErrnoException {
    fallocate(fd, LibC.FALLOC_FL_PUNCH_HOLE | LibC.FALLOC_FL_KEEP_SIZE, offset, length, target);
  }

  /**
   * {@code flock(fd, LOCK_EX or LOCK_SH | LOCK_NB)}: true if this open file now holds the lock,
   * false if another open file (in any process, this one included) holds it in a way that excludes
   * this one. The kernel releases it when the last descriptor of this open file closes, also when
   * the process dies.
   */
  public static boolean tryLock(int fd, boolean exclusive, String target) throws ErrnoException {
    int how = (exclusive ? LibC.LOCK_EX : LibC.LOCK_SH) | LibC.LOCK_NB;
    if (Holder.LIBC.flock(fd, how) == 0) return true;
    int e = errno();
    if (e == Errno.EWOULDBLOCK.intValue() || e == Errno.EINTR.intValue()) return false;
    throw new ErrnoException("flock", target, e);
  }

  /**
   * {@code lseek(fd, offset, SEEK_DATA)}: the first offset at or after {@code offset} that holds
   * data, or -1 when none does (ENXIO: only the trailing hole is left).
   *
   * @throws ErrnoException e.g. EINVAL where the filesystem cannot tell data from holes
   */
  public static long seekData(int fd, long offset, String target) throws ErrnoException {
    long r = Holder.LIBC.lseek(fd, offset, LibC.SEEK_DATA);
    if (r >= 0) return r;
    int e = errno();
    if (e == Errno.ENXIO.intValue()) return -1;
    throw new ErrnoException("lseek(SEEK_DATA)", target, e);
  }

  /**
   * {@code lseek(fd, offset, SEEK_HOLE)}: the first hole at or after {@code offset} (every file
   * ends with an implicit one).
   */
  public static long seekHole(int fd, long offset, String target) throws ErrnoException {
    long r = Holder.LIBC.lseek(fd, offset, LibC.SEEK_HOLE);
    if (r < 0) throw new ErrnoException("lseek(SEEK_HOLE)", target, errno());
    return r;
  }

  /** {@code setsid(2)}: 0, or {@code -EPERM} when already a process-group leader. */
  public static int setsid() {
    return Holder.LIBC.setsid() >= 0 ? 0 : -errno();
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
   * {@code strerror(3)}, in this process's locale: the text the JDK puts in an {@code IOException}
   * made from that errno.
   */
  public static String strerror(int errnum) {
    return Holder.LIBC.strerror(errnum);
  }

  /**
   * {@code statfs(2)}: the filesystem's type ({@code f_type}, e.g. {@link #FUSE_SUPER_MAGIC}), or
   * {@code -errno} (ENOTCONN on a FUSE mount whose daemon died). Unlike stat or access, FUSE never
   * answers statfs from a cache: it always asks the daemon (when the caller may use the mount at
   * all), so the answer says whether a daemon is there.
   */
  public static long statfs(String path) {
    Pointer buf = Memory.allocateDirect(Holder.RUNTIME, STATFS_SIZE, true);
    if (Holder.LIBC.statfs(path, buf) != 0) return -errno();
    return buf.getLong(0); // f_type leads struct statfs; every magic is below 2^32
  }
}
