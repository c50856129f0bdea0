package dev.partview.cli.extract;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Copies one byte range of an image to a {@link Sink}, in order, keeping holes holes.
 *
 * <p>Two kinds of zeros are left out of a sparse sink: the holes of the image file (skipped whole,
 * without reading, as {@link DataExtents} reports them) and all-zero {@value #BLOCK}-byte blocks
 * inside data (an image written out with zeros extracts sparse too). Blocks are aligned to output
 * offsets, because that is where the output's filesystem allocates.
 *
 * <p>How data moves ({@link Strategy}): into a file, by default, a second thread maps the image a
 * window ahead and finds its zero blocks while this one has the kernel copy the non-zero runs of
 * the window before ({@code sendfile}): one copy, page cache to page cache, and the zero check's
 * page faults overlap the copy. Into a stream, or when every byte must be hashed, the non-zero runs
 * are written from the mapping itself (also one copy). Both beat {@code pread} into a buffer and
 * {@code pwrite} out of it (two copies, what dd does); cli/README.md ("extract") has the
 * measurements. Reading through a buffer remains the fallback where a file cannot be mapped.
 */
public final class RangeCopier {
  /** Zero-check granularity: the page size and the usual filesystem block. */
  static final int BLOCK = 4096;

  /** The unit of progress, hashing and buffered reads. */
  public static final int DEFAULT_CHUNK = 1 << 20;

  /** One mapping per window: few mmap calls, and little address space held at a time. */
  public static final int MAP_WINDOW = 64 << 20;

  /** How bytes travel from the image to the sink. */
  public enum Strategy {
    /**
     * Into a {@link KernelCopySink} without a digest: check zeros in a mapping one window ahead on
     * a second thread, {@code sendfile} the non-zero runs. Otherwise as {@link #MAP}.
     */
    SEND,
    /** mmap a window, check zeros in place, write from the mapping. */
    MAP,
    /** pread into a direct buffer, check zeros there, pwrite from it. */
    READ;

    /**
     * The strategy named by the system property {@code partview.extract.copy} ({@code send}, {@code
     * map} or {@code read}), for measurements; {@link #SEND} when unset.
     */
    public static Strategy fromSystemProperty() {
      String s = System.getProperty("partview.extract.copy", "send");
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "partview.extract.copy must be send, map or read: " + s, e);
      }
    }
  }

  private final Strategy strategy;
  private final int chunk;
  private final int window;
  private final ByteBuffer zeros;
  private ByteBuffer readBuffer;
  private ByteBuffer scanBuffer; // the scanner thread's
  private boolean mapFailed;

  public RangeCopier(Strategy strategy, int chunk) {
    this(strategy, chunk, MAP_WINDOW);
  }

  RangeCopier(Strategy strategy, int chunk, int window) {
    if (chunk < BLOCK || chunk % BLOCK != 0 || window % chunk != 0) {
      throw new IllegalArgumentException(
          "chunk must be a multiple of " + BLOCK + " dividing the window: " + chunk);
    }
    this.strategy = strategy;
    this.chunk = chunk;
    this.window = window;
    this.zeros = ByteBuffer.allocateDirect(chunk);
  }

  /**
   * What a copy did: bytes in the output, and how many of them were written (not left as holes).
   */
  public record Result(long length, long bytesWritten) {}

  /**
   * Copies {@code [start, start + length)} of {@code src} to {@code sink} at offset 0, feeding
   * every output byte (holes as zeros) to {@code digest} when it is not null.
   *
   * @throws RangeIOException naming the image or output offset where reading or writing failed
   */
  public Result copy(
      FileChannel src,
      long start,
      long length,
      DataExtents extents,
      Sink sink,
      MessageDigest digest,
      Progress progress)
      throws IOException {
    Job job = new Job(src, start, Math.addExact(start, length), sink, digest, extents, progress);
    long written =
        strategy == Strategy.SEND && digest == null && sink instanceof KernelCopySink kernel
            ? sendAll(job, kernel)
            : copyAll(job);
    try {
      sink.finish(length);
    } catch (IOException e) {
      throw RangeIOException.write(length, e);
    }
    return new Result(length, written);
  }

  /**
   * One copy's fixed terms: image {@code [start, end)} of {@code src} to {@code sink} at offset 0.
   */
  private record Job(
      FileChannel src,
      long start,
      long end,
      Sink sink,
      MessageDigest digest,
      DataExtents extents,
      Progress progress) {}

  /** The range through this process: holes as {@link #hole}, data by {@link #copyData}. */
  private long copyAll(Job j) throws IOException {
    long written = 0;
    long pos = j.start();
    while (pos < j.end()) {
      long data = j.extents().nextData(pos, j.end());
      if (data > pos) {
        hole(j, pos - j.start(), data - pos);
        pos = data;
        j.progress().update(pos - j.start());
        continue;
      }
      long dataEnd = j.extents().dataEnd(pos, j.end());
      written += copyData(j, pos, dataEnd);
      pos = dataEnd;
    }
    return written;
  }

  /** Data at [pos, dataEnd), through this process: from a mapping, or read into a buffer. */
  private long copyData(Job j, long pos, long dataEnd) throws IOException {
    long written = 0;
    while (pos < dataEnd) {
      long n = Math.min(dataEnd - pos, strategy == Strategy.READ ? chunk : window);
      MappedByteBuffer window = strategy == Strategy.READ ? null : map(j.src(), pos, n);
      if (window != null) {
        try {
          for (int off = 0; off < n; off += chunk) {
            int k = (int) Math.min(chunk, n - off);
            long w = deliver(j, window.slice(off, k), pos + off);
            if (w == 0) j.extents().zerosSeen();
            written += w;
            j.progress().update(pos + off + k - j.start());
          }
        } catch (InternalError e) {
          // SIGBUS: the file shrank under the mapping (HotSpot turns the fault into this error).
          throw shrunk(j.src(), pos, j.end(), e);
        } finally {
          Unmapper.unmap(window);
        }
      } else {
        n = Math.min(n, chunk);
        ByteBuffer buf = read(j.src(), pos, (int) n, j.end(), readBuffer());
        long w = deliver(j, buf, pos);
        if (w == 0) j.extents().zerosSeen();
        written += w;
        j.progress().update(pos + n - j.start());
      }
      pos += n;
    }
    return written;
  }

  /**
   * The range into a file, copied by the kernel: the scanner thread maps the next window of data
   * and finds its non-zero runs while the kernel copies the runs of the window before, so the
   * scan's page faults overlap the copy (~0.15 s for 512 MiB against ~0.19 s for the mapping path;
   * cli/README.md). Holes and zero blocks are left unwritten: a new file's unwritten bytes are
   * holes.
   */
  private long sendAll(Job j, KernelCopySink sink) throws IOException {
    ExecutorService scanner = newScanner();
    try {
      long written = 0;
      Future<Runs> next = scanNext(scanner, j, j.start());
      while (next != null) {
        Runs runs = await(next);
        if (runs.length - runs.nonZero() >= chunk) j.extents().zerosSeen();
        long after = runs.pos + runs.length;
        next = scanNext(scanner, j, after);
        for (int r = 0; r < runs.count(); r++) {
          long from = runs.pos + runs.from(r);
          long n = runs.to(r) - runs.from(r);
          long out = from - j.start();
          long copied;
          try {
            copied = sink.copyFrom(j.src(), from, n, out);
          } catch (IOException e) {
            throw RangeIOException.write(out, e);
          }
          if (copied < n) throw shrunk(j.src(), from + copied, j.end(), null);
          written += n;
        }
        j.progress().update(after - j.start());
      }
      j.progress().update(j.end() - j.start());
      return written;
    } finally {
      // Not shutdownNow: interrupting a scan inside FileChannel.map would close the image's
      // channel under the caller. A scan left over after an error ends with its window.
      scanner.shutdown();
    }
  }

  /**
   * Starts scanning the first window of data at or after {@code pos} (holes are looked up here, on
   * the main thread), or returns null when only holes are left.
   */
  private Future<Runs> scanNext(ExecutorService scanner, Job j, long pos) {
    long data = j.extents().nextData(pos, j.end());
    if (data >= j.end()) return null;
    int n = (int) Math.min(window, j.extents().dataEnd(data, j.end()) - data);
    return scanner.submit(() -> scan(j.src(), data, n, j.start(), j.end()));
  }

  /** On the scanner thread: the non-zero runs of the image's [pos, pos + n). */
  private Runs scan(FileChannel src, long pos, int n, long start, long end) throws IOException {
    Runs runs = new Runs(pos, n);
    ByteBuffer zeroView = zeros.duplicate(); // zeros' position and limit belong to the main thread
    MappedByteBuffer mapped = map(src, pos, n);
    if (mapped != null) {
      try {
        nonZeroRuns(mapped, pos - start, zeroView, runs, 0);
      } catch (InternalError e) {
        throw shrunk(src, pos, end, e); // SIGBUS, as in copyData
      } finally {
        Unmapper.unmap(mapped);
      }
    } else {
      if (scanBuffer == null) scanBuffer = ByteBuffer.allocateDirect(chunk);
      for (int off = 0; off < n; off += chunk) {
        int k = Math.min(chunk, n - off);
        ByteBuffer data = read(src, pos + off, k, end, scanBuffer);
        nonZeroRuns(data, pos + off - start, zeroView, runs, off);
      }
    }
    return runs;
  }

  /** The result of a scan, or what went wrong in it. */
  private static Runs await(Future<Runs> scan) throws IOException {
    try {
      return scan.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while scanning for zero blocks");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) throw io;
      if (cause instanceof RuntimeException r) throw r;
      if (cause instanceof Error err) throw err;
      throw new IllegalStateException(cause);
    }
  }

  /** One daemon thread: a copy cut short by an error must not keep the JVM alive. */
  private static ExecutorService newScanner() {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, "partview-extract-scan");
          t.setDaemon(true);
          return t;
        });
  }

  /** A read-only mapping of {@code [pos, pos + n)}, or null to read instead from now on. */
  private MappedByteBuffer map(FileChannel src, long pos, long n) {
    if (mapFailed) return null;
    try {
      return src.map(FileChannel.MapMode.READ_ONLY, pos, n);
    } catch (IOException | UnsupportedOperationException e) {
      // Not mappable (some FUSE and special files; or now past the end, which reading reports).
      mapFailed = true;
      return null;
    }
  }

  private ByteBuffer readBuffer() {
    if (readBuffer == null) readBuffer = ByteBuffer.allocateDirect(chunk);
    return readBuffer;
  }

  /** Reads [pos, pos + n) into {@code buffer} (the calling thread's), flipped for reading. */
  private static ByteBuffer read(FileChannel src, long pos, int n, long end, ByteBuffer buffer)
      throws IOException {
    ByteBuffer buf = buffer.clear().limit(n);
    while (buf.hasRemaining()) {
      int r;
      try {
        r = src.read(buf, pos + buf.position());
      } catch (IOException e) {
        throw RangeIOException.read(pos + buf.position(), e);
      }
      if (r < 0) throw RangeIOException.shortImage(pos + buf.position(), end);
    }
    return buf.flip();
  }

  /**
   * Hands the bytes of image offset {@code pos} (all of {@code data}) to the sink at their output
   * offset: whole for a stream, as runs of non-zero blocks for a sparse sink; then to the digest.
   *
   * @return the bytes written
   */
  private long deliver(Job j, ByteBuffer data, long pos) throws IOException {
    long out = pos - j.start();
    long written;
    if (!j.sink().sparse()) {
      write(j, data.duplicate(), out, pos);
      written = data.remaining();
    } else {
      Runs runs = new Runs(pos, data.remaining());
      nonZeroRuns(data, out, zeros, runs, 0);
      for (int r = 0; r < runs.count(); r++) {
        ByteBuffer run = data.duplicate().limit(runs.to(r)).position(runs.from(r));
        write(j, run, out + runs.from(r), pos);
      }
      written = runs.nonZero();
    }
    if (j.digest() != null) j.digest().update(data.duplicate());
    return written;
  }

  /**
   * Adds the runs of non-zero blocks of {@code data} (counted from its position 0, shifted by
   * {@code base}) to {@code runs}. Block boundaries are multiples of {@value #BLOCK} in the output,
   * whatever the image alignment: {@code out} is the output offset of data's first byte.
   */
  private static void nonZeroRuns(
      ByteBuffer data, long out, ByteBuffer zeroView, Runs runs, int base) {
    int n = data.remaining();
    ByteBuffer view = data.duplicate();
    int runStart = -1;
    for (int i = 0; i < n; ) {
      int blockEnd = Math.min(n, i + BLOCK - Math.floorMod(out + i, BLOCK));
      view.limit(blockEnd).position(i);
      zeroView.limit(blockEnd - i).position(0);
      boolean zero = view.mismatch(zeroView) < 0;
      if (!zero && runStart < 0) runStart = i;
      if (zero && runStart >= 0) {
        runs.add(base + runStart, base + i);
        runStart = -1;
      }
      i = blockEnd;
    }
    if (runStart >= 0) runs.add(base + runStart, base + n);
  }

  /** The runs of non-zero blocks in one stretch of the image at {@code pos}: [from, to) pairs. */
  static final class Runs {
    final long pos;
    final int length;
    private int[] bounds = new int[8];
    private int size;
    private long nonZero;

    Runs(long pos, int length) {
      this.pos = pos;
      this.length = length;
    }

    /** Adds [from, to); a run that continues the last one (scanned in pieces) extends it. */
    void add(int from, int to) {
      if (size > 0 && bounds[size - 1] == from) {
        bounds[size - 1] = to;
      } else {
        if (size == bounds.length) bounds = Arrays.copyOf(bounds, size * 2);
        bounds[size++] = from;
        bounds[size++] = to;
      }
      nonZero += to - from;
    }

    int count() {
      return size / 2;
    }

    int from(int run) {
      return bounds[2 * run];
    }

    int to(int run) {
      return bounds[2 * run + 1];
    }

    long nonZero() {
      return nonZero;
    }
  }

  /** {@code bytes} (read at image offset {@code pos}) to the sink at output offset {@code out}. */
  private static void write(Job j, ByteBuffer bytes, long out, long pos) throws IOException {
    try {
      j.sink().write(bytes, out);
    } catch (IOException e) {
      // Writing from a mapping fails with EFAULT if the image shrank under it: say that instead.
      if (j.src().size() < j.end()) throw shrunk(j.src(), pos, j.end(), e);
      throw RangeIOException.write(out, e);
    }
  }

  private static RangeIOException shrunk(FileChannel src, long pos, long end, Throwable cause) {
    long size;
    try {
      size = src.size();
    } catch (IOException e) {
      size = pos;
    }
    RangeIOException e = RangeIOException.shortImage(Math.min(size, end), end);
    e.initCause(cause);
    return e;
  }

  /** Output [out, out + length) is a hole in the image: zeros, skipped by a sparse sink. */
  private void hole(Job j, long out, long length) throws IOException {
    if (j.sink().sparse() && j.digest() == null) {
      zeros(j.sink(), out, length);
      return;
    }
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(chunk, length - done);
      zeros(j.sink(), out + done, n);
      if (j.digest() != null) j.digest().update(zeros.limit(n).position(0));
      done += n;
      j.progress().update(out + done);
    }
  }

  private static void zeros(Sink sink, long out, long length) throws IOException {
    try {
      sink.zeros(out, length);
    } catch (IOException e) {
      throw RangeIOException.write(out, e);
    }
  }
}
