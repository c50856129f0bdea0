package dev.partview.cli.extract;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Finds the runs of non-zero {@value #BLOCK}-byte blocks in a buffer: what a sparse output gets
 * written, the rest staying holes. Blocks are aligned to output offsets, because that is where the
 * output's filesystem allocates.
 */
final class ZeroBlocks {
  private ZeroBlocks() {}

  /** Zero-check granularity: the page size and the usual filesystem block. */
  static final int BLOCK = 4096;

  /** One block of zeros to compare against; each caller works on its own duplicate. */
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(BLOCK);

  /**
   * Adds the runs of non-zero blocks of {@code data} (its remaining bytes, counted from its
   * position) to {@code runs}. {@code out} is the output offset of data's first byte: block
   * boundaries are its multiples of {@value #BLOCK}, whatever the image alignment.
   */
  static void nonZeroRuns(ByteBuffer data, long out, Runs runs) {
    int n = data.remaining();
    ByteBuffer view = data.duplicate();
    int from = view.position();
    ByteBuffer zeros = ZEROS.duplicate();
    int runStart = -1;
    for (int i = 0; i < n; ) {
      int blockEnd = Math.min(n, i + BLOCK - Math.floorMod(out + i, BLOCK));
      view.limit(from + blockEnd).position(from + i);
      zeros.limit(blockEnd - i).position(0);
      boolean zero = view.mismatch(zeros) < 0;
      if (!zero && runStart < 0) runStart = i;
      if (zero && runStart >= 0) {
        runs.add(runStart, i);
        runStart = -1;
      }
      i = blockEnd;
    }
    if (runStart >= 0) runs.add(runStart, n);
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

    /** Adds [from, to), after the runs added so far. */
    void add(int from, int to) {
      if (size == bounds.length) bounds = Arrays.copyOf(bounds, size * 2);
      bounds[size++] = from;
      bounds[size++] = to;
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

    /** Whether any block of the stretch is all zeros. */
    boolean hasZeros() {
      return nonZero < length;
    }
  }
}
