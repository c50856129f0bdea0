package dev.partview.cli.extract;

import dev.partview.cli.extract.RangeCopier.Job;
import dev.partview.cli.extract.ZeroBlocks.Runs;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Copies a range of an image into a file on two threads, each reading whole windows of the image
 * straight into a shared mapping of the output ({@code pread} into the mapped pages).
 *
 * <p>Why: most of a copy into a new file is the kernel allocating its page cache. Through {@code
 * write} or {@code sendfile} that happens on one thread (a file takes one write at a time), and on
 * this VM most such runs then take 2–5 times longer than the best ones; page faults on a shared
 * mapping are taken on both cores at once and allocate single pages. End to end, 512 MiB in 12
 * rounds: 272–386 ms, against 267–689 ms with {@code sendfile} and 208–1355 ms for {@code dd}
 * (cli/README.md, "extract").
 *
 * <p>Zero blocks stay holes. The output's mapping takes only whole windows of data, on a 64 MiB
 * grid of the output, because a page fault can bring in a large folio whose every block is then
 * allocated. A window is either scanned first, in a read-only mapping of the image, and then read
 * whole into the output if it has no zero blocks and lies on the grid, or else its non-zero runs
 * are written from the image's mapping ({@code pwrite}); or, while the windows before had no zero
 * blocks, a window on the grid is read whole into the output and scanned there, which spares the
 * image mapping's page faults. Zero blocks such a window did write are handed back to the sink
 * ({@link MappableSink#unwriteZeros}), which punches them out, and the windows after it are scanned
 * first.
 */
final class ParallelCopy {
  /** Measured on two cores; more threads than cores would only take turns. */
  private static final int WORKERS = 2;

  private final int window;
  private final int chunk;

  /** Whether the last window done had zero blocks: then scan the next one first. */
  private final AtomicBoolean zerosLately = new AtomicBoolean(true);

  /**
   * @param window the most bytes one thread reads and maps at a time
   * @param chunk zeros over this many bytes in a window suggest holes ({@link
   *     DataExtents#zerosSeen})
   */
  ParallelCopy(int window, int chunk) {
    this.window = window;
    this.chunk = chunk;
  }

  /**
   * Whether the image maps, and the output maps for writing (not every filesystem can, e.g. FUSE
   * with direct I/O), each tried on one block. The output is tried on its last block, which also
   * gives the file its full length at once: grown window by window instead, each worker's mapping
   * had to extend it while the other was writing.
   */
  static boolean canMap(FileChannel image, long start, MappableSink sink, long length) {
    if (length <= 0) return false;
    long last = Math.max(0, length - ZeroBlocks.BLOCK);
    try {
      Unmapper.unmap(
          image.map(FileChannel.MapMode.READ_ONLY, start, Math.min(length, ZeroBlocks.BLOCK)));
      Unmapper.unmap(sink.map(last, length - last));
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Copies {@code [j.start, j.end)} of the image to {@code sink}; windows are handed out in order
   * and their results taken in order, so progress only grows.
   *
   * @return the bytes written (not left as holes)
   */
  long copy(Job j, MappableSink sink) throws IOException {
    ExecutorService workers = newWorkers();
    Deque<Future<Runs>> inFlight = new ArrayDeque<>();
    try {
      long written = 0;
      long pos = j.start();
      while (true) {
        // One window more than threads, so that a thread never waits for the next one.
        while (inFlight.size() <= WORKERS && pos < j.end()) {
          long data = j.extents().nextData(pos, j.end());
          if (data >= j.end()) {
            pos = j.end();
            break;
          }
          // Windows on a grid of the output: a data extent that starts off it gets a short first
          // one.
          long toGrid = window - Math.floorMod(data - j.start(), window);
          int n = (int) Math.min(toGrid, j.extents().dataEnd(data, j.end()) - data);
          inFlight.add(workers.submit(() -> copyWindow(j, sink, data, n)));
          pos = data + n;
        }
        if (inFlight.isEmpty()) break;
        Runs done = await(inFlight.poll());
        written += done.nonZero();
        if (done.length - done.nonZero() >= chunk) j.extents().zerosSeen();
        j.progress().update(done.pos + done.length - j.start());
      }
      j.progress().update(j.end() - j.start());
      return written;
    } finally {
      // Not shutdownNow: an interrupt inside FileChannel.read or map would close the image's
      // channel under the caller. After an error, windows not yet started are dropped.
      inFlight.forEach(f -> f.cancel(false));
      workers.shutdown();
    }
  }

  /** On a worker: one window, {@code [pos, pos + n)} of the image; returns its non-zero runs. */
  private Runs copyWindow(Job j, MappableSink sink, long pos, int n) throws IOException {
    long out = pos - j.start();
    long length = j.end() - j.start();
    // Only a window on window boundaries (or the file's ends) goes through the output's mapping:
    // a page fault there can bring in a large folio, and the blocks of all its pages are then
    // allocated, zeros or not (ext4, Linux 6.18). Folios never cross a 64 MiB boundary.
    boolean whole = out % window == 0 && ((out + n) % window == 0 || out + n == length);
    Runs runs = new Runs(pos, n);
    if (whole && !zerosLately.get()) {
      readWhole(j, sink, pos, n, runs);
      unwriteZeros(sink, runs, out);
    } else {
      MappedByteBuffer image = mapImage(j, pos, n);
      try {
        ZeroBlocks.nonZeroRuns(image, out, runs);
        if (whole && !runs.hasZeros()) {
          readWhole(j, sink, pos, n, null);
        } else {
          // From the image's mapping (pwrite): through the output's mapping, the zero blocks
          // between the runs would be allocated too (a partition of every third block zero came
          // out half again as large).
          RangeCopier.writeRuns(j, image, runs, out);
        }
      } catch (InternalError e) {
        // SIGBUS: the file shrank under the mapping (HotSpot turns the fault into this error).
        throw RangeCopier.shrunk(j.src(), pos, j.end(), e);
      } finally {
        Unmapper.unmap(image);
      }
    }
    zerosLately.set(runs.hasZeros());
    return runs;
  }

  /**
   * Reads the whole window into the output's mapping; with {@code scan}, then finds the window's
   * non-zero runs there.
   */
  private static void readWhole(Job j, MappableSink sink, long pos, int n, Runs scan)
      throws IOException {
    long out = pos - j.start();
    MappedByteBuffer target = mapOutput(sink, out, n);
    try {
      read(j, target.duplicate(), pos);
      if (scan != null) ZeroBlocks.nonZeroRuns(target, out, scan);
    } finally {
      Unmapper.unmap(target);
    }
  }

  /** Reads the image at {@code pos} into all of {@code target}, a slice of the output mapping. */
  private static void read(Job j, ByteBuffer target, long pos) throws IOException {
    int start = target.position();
    while (target.hasRemaining()) {
      long at = pos + target.position() - start;
      int r;
      try {
        r = j.src().read(target, at);
      } catch (IOException e) {
        throw readOrWriteError(j, at, e);
      }
      if (r < 0) throw RangeIOException.shortImage(at, j.end());
    }
  }

  /**
   * A read into the output's mapping failed: the image could not be read, or the kernel could not
   * fault in the output's page (EFAULT: no space left, a quota, an I/O error). Asking the image for
   * that byte again tells which.
   */
  private static RangeIOException readOrWriteError(Job j, long at, IOException e) {
    try {
      j.src().read(ByteBuffer.allocate(1), at);
    } catch (IOException again) {
      return RangeIOException.read(at, e);
    }
    return RangeIOException.write(
        at - j.start(),
        new IOException("cannot write the output through its mapping (no space left?)", e));
  }

  /** Hands the zero blocks a whole-window read wrote back to the sink, to become holes. */
  private static void unwriteZeros(MappableSink sink, Runs runs, long out) throws IOException {
    if (!runs.hasZeros()) return;
    int at = 0;
    for (int r = 0; r <= runs.count(); r++) {
      int next = r < runs.count() ? runs.from(r) : runs.length;
      if (next > at) sink.unwriteZeros(out + at, next - at);
      if (r < runs.count()) at = runs.to(r);
    }
  }

  private static MappedByteBuffer mapOutput(MappableSink sink, long out, int n)
      throws RangeIOException {
    try {
      return sink.map(out, n);
    } catch (IOException e) {
      throw RangeIOException.write(out, e);
    }
  }

  /** A read-only mapping of the image window ({@link #canMap} checked that the image maps). */
  private static MappedByteBuffer mapImage(Job j, long pos, int n) throws IOException {
    try {
      return j.src().map(FileChannel.MapMode.READ_ONLY, pos, n);
    } catch (IOException e) {
      if (j.src().size() < pos + n) throw RangeCopier.shrunk(j.src(), pos, j.end(), e);
      throw RangeIOException.read(pos, e);
    }
  }

  private static Runs await(Future<Runs> window) throws IOException {
    try {
      return window.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while copying");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) throw io;
      if (cause instanceof RuntimeException r) throw r;
      if (cause instanceof Error err) throw err;
      throw new IllegalStateException(cause);
    }
  }

  /** Daemon threads: a copy cut short by an error must not keep the JVM alive. */
  private static ExecutorService newWorkers() {
    return Executors.newFixedThreadPool(
        WORKERS,
        r -> {
          Thread t = new Thread(r, "partview-extract-copy");
          t.setDaemon(true);
          return t;
        });
  }
}
