package dev.partview.cli.extract;

import dev.partview.fuse.sys.ErrnoException;
import dev.partview.fuse.sys.LibC;
import dev.partview.fuse.sys.Sys;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Where an image file holds data and where it has holes, as its filesystem reports them through
 * {@code lseek(SEEK_DATA / SEEK_HOLE)}. Every answer is safe to be wrong in one direction only: a
 * range reported as data may still be a hole (it reads as zeros and the copier skips zero blocks),
 * but a range reported as a hole is one. So whenever the native call is not available — not loaded
 * (yet), no libc, a filesystem without the whence values — everything is data.
 *
 * <p>libc ({@link Sys}) is bound only once the copier has met a chunk of zeros ({@link
 * #zerosSeen}), and on a background thread: a partition without any holds no holes worth looking
 * up, and binding costs 100-150 ms of CPU, as much as copying a few hundred MiB. Until the binding
 * is ready, answers reach one step ahead, so the copier asks again soon.
 *
 * <p>Not thread-safe: one copier asks, in increasing offsets.
 */
public final class DataExtents implements Closeable {
  private final Path image;
  private final Supplier<CompletableFuture<Void>> binder;
  private final long step;
  private CompletableFuture<Void> binding;
  private int fd = -1;
  private boolean unusable;

  /**
   * @param binder starts binding libc, in the background
   * @param step how far ahead to claim "data" while the binding is not there
   */
  DataExtents(Path image, Supplier<CompletableFuture<Void>> binder, long step) {
    this.image = image;
    this.binder = binder;
    this.step = step;
  }

  /** The extents of an image file, asked through libc once zeros suggest holes. */
  public static DataExtents of(Path image, long step) {
    return new DataExtents(image, Sys::bindInBackground, step);
  }

  /** Reports everything as data (for tests, and for ranges too small to look holes up). */
  public static DataExtents allData() {
    DataExtents d = new DataExtents(null, null, Long.MAX_VALUE);
    d.unusable = true;
    return d;
  }

  /** The copier met a whole chunk of zeros: there may be holes; start binding libc (once). */
  void zerosSeen() {
    if (binding == null && !unusable) binding = binder.get();
  }

  /** The first offset in [pos, end) that holds data, or {@code end} if [pos, end) is all hole. */
  long nextData(long pos, long end) {
    if (!ready()) return pos;
    long r;
    try {
      r = Sys.seekData(fd, pos, image.toString());
    } catch (ErrnoException e) {
      giveUp();
      return pos;
    }
    if (r < 0) return end; // only the trailing hole is left
    return Math.min(Math.max(r, pos), end);
  }

  /**
   * Where the data starting at {@code pos} ends: the first hole after it, at most {@code end}. When
   * the answer is unknown it is a short step ahead, so the next call can know better.
   */
  long dataEnd(long pos, long end) {
    if (!ready()) return unusable ? end : Math.min(end, saturatedAdd(pos, step));
    long r;
    try {
      r = Sys.seekHole(fd, pos, image.toString());
    } catch (ErrnoException e) {
      giveUp();
      return end;
    }
    return r <= pos ? Math.min(end, saturatedAdd(pos, step)) : Math.min(r, end);
  }

  /** Whether the answers come from the filesystem (false: everything so far was "data"). */
  boolean fromFilesystem() {
    return ready();
  }

  private boolean ready() {
    if (unusable) return false;
    if (fd >= 0) return true;
    if (binding == null || !binding.isDone()) return false;
    if (binding.isCompletedExceptionally()) { // no native access here
      unusable = true;
      return false;
    }
    try {
      fd = Sys.open(image.toString(), LibC.O_RDONLY);
    } catch (ErrnoException e) {
      unusable = true;
      return false;
    }
    return true;
  }

  private void giveUp() {
    close();
    unusable = true;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return r < a ? Long.MAX_VALUE : r;
  }

  /**
   * Closes the descriptor, and first lets a binding still under way finish: jffi unpacks its stub
   * to a temporary file and registers it for deletion at exit, which fails if the JVM is already
   * exiting — a short extraction must not leave {@code jffi*.so} files behind.
   */
  @Override
  public void close() {
    Sys.awaitBinding(binding);
    Sys.close(fd);
    fd = -1;
  }
}
