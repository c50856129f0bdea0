package dev.partview.cli.extract;

import dev.partview.cli.extract.ZeroBlocks.Runs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Copies one byte range of an image to a {@link Sink}, in order, keeping holes holes.
 *
 * <p>Two kinds of zeros are left out of a sparse sink: the holes of the image file (skipped whole,
 * without reading, as {@link DataExtents} reports them) and all-zero {@value ZeroBlocks#BLOCK}-byte
 * blocks inside data (an image written out with zeros extracts sparse too; {@link ZeroBlocks}).
 *
 * <p>How data moves ({@link Strategy}): into a file, by default, {@link ParallelCopy} has two
 * threads read windows of the image straight into a shared mapping of the output, so the page
 * faults that allocate the output's page cache run on both cores. Into a stream, or when every byte
 * must be hashed, the non-zero runs are written from a mapping of the image (one copy). Reading
 * through a buffer remains the fallback where a file cannot be mapped. cli/README.md ("extract")
 * has the measurements behind each choice.
 */
public final class RangeCopier {
  /** The unit of progress, hashing and buffered reads. */
  public static final int DEFAULT_CHUNK = 1 << 20;

  /** One mapping per window: few mmap calls, and little address space held at a time. */
  public static final int MAP_WINDOW = 64 << 20;

  /** How bytes travel from the image to the sink. */
  public enum Strategy {
    /**
     * Into a {@link MappableSink} without a digest: {@link ParallelCopy}, two threads reading
     * windows of the image straight into a mapping of the output. Otherwise as {@link #MAP}.
     */
    PARALLEL,
    /** mmap a window, check zeros in place, write from the mapping. */
    MAP,
    /** pread into a direct buffer, check zeros there, pwrite from it. */
    READ;

    /**
     * The strategy named by the system property {@code partview.extract.copy} ({@code parallel},
     * {@code map} or {@code read}), for measurements; {@link #PARALLEL} when unset.
     */
    public static Strategy fromSystemProperty() {
      String s = System.getProperty("partview.extract.copy", "parallel");
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "partview.extract.copy must be parallel, map or read: " + s, e);
      }
    }
  }

  private final Strategy strategy;
  private final int chunk;
  private final int window;
  private final ByteBuffer zeros;
  private ByteBuffer readBuffer;
  private boolean mapFailed;

  public RangeCopier(Strategy strategy, int chunk) {
    this(strategy, chunk, MAP_WINDOW);
  }

  RangeCopier(Strategy strategy, int chunk, int window) {
    if (chunk < ZeroBlocks.BLOCK || chunk % ZeroBlocks.BLOCK != 0 || window % chunk != 0) {
      throw new IllegalArgumentException(
          "chunk must be a multiple of " + ZeroBlocks.BLOCK + " dividing the window: " + chunk);
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
        strategy == Strategy.PARALLEL
                && digest == null
                && sink instanceof MappableSink file
                && ParallelCopy.canMap(src, start, file, length)
            ? new ParallelCopy(window, chunk).copy(job, file)
            : copyAll(job);
    try {
      sink.finish(length);
    } catch (RangeIOException e) {
      throw e; // names its own offset (a hole that could not be punched)
    } catch (IOException e) {
      throw RangeIOException.write(length, e);
    }
    return new Result(length, written);
  }

  /**
   * One copy's fixed terms: image {@code [start, end)} of {@code src} to {@code sink} at offset 0.
   */
  record Job(
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
      ZeroBlocks.nonZeroRuns(data, out, runs);
      writeRuns(j, data, runs, out);
      written = runs.nonZero();
    }
    if (j.digest() != null) j.digest().update(data.duplicate());
    return written;
  }

  /**
   * The non-zero runs of {@code data} (image offset {@code runs.pos}, output offset {@code out},
   * runs counted from its position 0) to the sink; the zero blocks between them stay unwritten.
   */
  static void writeRuns(Job j, ByteBuffer data, Runs runs, long out) throws IOException {
    for (int r = 0; r < runs.count(); r++) {
      ByteBuffer run = data.duplicate().limit(runs.to(r)).position(runs.from(r));
      write(j, run, out + runs.from(r), runs.pos + runs.from(r));
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

  static RangeIOException shrunk(FileChannel src, long pos, long end, Throwable cause) {
    long size;
    try {
      size = src.size();
    } catch (IOException e) {
      size = pos;
    }
    return RangeIOException.shortImage(Math.min(size, end), end, cause);
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
