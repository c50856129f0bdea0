package dev.partview.table.io;

import dev.partview.table.PartitionTableException;
import dev.partview.table.PartitionTableException.Kind;

/**
 * Exact arithmetic on untrusted numbers: overflow is a corrupt table, not an ArithmeticException.
 */
public final class Checked {
  private Checked() {}

  public static long multiply(long a, long b, String structure, long offset, String what)
      throws PartitionTableException {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new PartitionTableException(
          Kind.CORRUPT, structure, offset, what + " overflows: " + a + " * " + b);
    }
  }

  public static long add(long a, long b, String structure, long offset, String what)
      throws PartitionTableException {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw new PartitionTableException(
          Kind.CORRUPT, structure, offset, what + " overflows: " + a + " + " + b);
    }
  }
}
