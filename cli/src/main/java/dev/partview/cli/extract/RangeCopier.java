package dev.partview.cli.extract;

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
 * without reading, as {@link DataExtents} reports them) and all-zero {@value #BLOCK}-byte blocks
 * inside data (an image written out with zeros extracts sparse too). Blocks are aligned to output
 * offsets, because that is where the output's filesystem allocates.
 *
 * <p>How data moves ({@link Strategy}): by default the image is mapped a window at a time, the zero
 * check reads the mapping, and the non-zero runs are written from it: one copy, page cache to page
 * cache, as cheap as {@code sendfile}/{@code copy_file_range} (which cannot see zeros) and cheaper
 * than {@code pread} into a buffer and {@code pwrite} out of it (two copies, what dd does).
 * cli/README.md ("extract") has the measurements. Reading through a buffer remains the fallback
 * where a file cannot be mapped.
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
    /** mmap a window, check zeros in place, write from the mapping. */
    MAP,
    /** pread into a direct buffer, check zeros there, pwrite from it. */
    READ;

    /**
     * The strategy named by the system property {@code partview.extract.copy} ({@code map} or
     * {@code read}), for measurements; {@link #MAP} when unset.
     */
    public static Strategy fromSystemProperty() {
      String s = System.getProperty("partview.extract.copy", "map");
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("partview.extract.copy must be map or read: " + s, e);
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
    long end = Math.addExact(start, length);
    long written = 0;
    long pos = start;
    while (pos < end) {
      long data = extents.nextData(pos, end);
      if (data > pos) {
        hole(sink, digest, progress, pos - start, data - pos);
        pos = data;
        progress.update(pos - start);
        continue;
      }
      long dataEnd = extents.dataEnd(pos, end);
      while (pos < dataEnd) {
        long n = Math.min(dataEnd - pos, strategy == Strategy.MAP ? window : chunk);
        MappedByteBuffer window = strategy == Strategy.MAP ? map(src, pos, n) : null;
        if (window != null) {
          try {
            for (int off = 0; off < n; off += chunk) {
              int k = (int) Math.min(chunk, n - off);
              long w = deliver(src, window.slice(off, k), pos + off, start, end, sink, digest);
              if (w == 0) extents.zerosSeen();
              written += w;
              progress.update(pos + off + k - start);
            }
          } catch (InternalError e) {
            // SIGBUS: the file shrank under the mapping (HotSpot turns the fault into this error).
            throw shrunk(src, pos, end, e);
          } finally {
            Unmapper.unmap(window);
          }
        } else {
          n = Math.min(n, chunk);
          ByteBuffer buf = read(src, pos, (int) n, end);
          long w = deliver(src, buf, pos, start, end, sink, digest);
          if (w == 0) extents.zerosSeen();
          written += w;
          progress.update(pos + n - start);
        }
        pos += n;
      }
    }
    try {
      sink.finish(length);
    } catch (IOException e) {
      throw RangeIOException.write(length, e);
    }
    return new Result(length, written);
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

  private ByteBuffer read(FileChannel src, long pos, int n, long end) throws IOException {
    if (readBuffer == null) readBuffer = ByteBuffer.allocateDirect(chunk);
    ByteBuffer buf = readBuffer.clear().limit(n);
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
  private long deliver(
      FileChannel src,
      ByteBuffer data,
      long pos,
      long start,
      long end,
      Sink sink,
      MessageDigest digest)
      throws IOException {
    long out = pos - start;
    int n = data.remaining();
    long written = 0;
    if (!sink.sparse()) {
      write(src, sink, data.duplicate(), out, pos, end);
      written = n;
    } else {
      ByteBuffer view = data.duplicate();
      int runStart = -1;
      int i = 0;
      while (i < n) {
        // Block boundaries are multiples of BLOCK in the output, whatever the image alignment.
        int blockEnd = Math.min(n, i + BLOCK - Math.floorMod(out + i, BLOCK));
        boolean zero = isZero(view, i, blockEnd);
        if (!zero && runStart < 0) runStart = i;
        if (zero && runStart >= 0) {
          write(src, sink, data.duplicate().limit(i).position(runStart), out + runStart, pos, end);
          written += i - runStart;
          runStart = -1;
        }
        i = blockEnd;
      }
      if (runStart >= 0) {
        write(src, sink, data.duplicate().position(runStart), out + runStart, pos, end);
        written += n - runStart;
      }
    }
    if (digest != null) digest.update(data.duplicate());
    return written;
  }

  private boolean isZero(ByteBuffer view, int from, int to) {
    view.limit(to).position(from);
    zeros.limit(to - from).position(0);
    return view.mismatch(zeros) < 0;
  }

  private static void write(
      FileChannel src, Sink sink, ByteBuffer bytes, long out, long pos, long end)
      throws IOException {
    try {
      sink.write(bytes, out);
    } catch (IOException e) {
      // Writing from a mapping fails with EFAULT if the image shrank under it: say that instead.
      if (src.size() < end) throw shrunk(src, pos, end, e);
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
  private void hole(Sink sink, MessageDigest digest, Progress progress, long out, long length)
      throws IOException {
    if (sink.sparse() && digest == null) {
      zeros(sink, out, length);
      return;
    }
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(chunk, length - done);
      zeros(sink, out + done, n);
      if (digest != null) digest.update(zeros.limit(n).position(0));
      done += n;
      progress.update(out + done);
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
