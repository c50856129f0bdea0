package dev.partview.testimages;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Assertions;

/**
 * A short hex dump of where two byte arrays first differ, for assertion messages: the offset, then
 * 16 bytes on each side aligned to a 16-byte row, with the differing bytes in brackets.
 *
 * <pre>
 * first difference at offset 0x1c2 (450); lengths 512 and 512
 *   expected 000001c0: 00 00 [ee] 00 00 00 01 00 00 00 ff ff 7f 00 00 00  ..........
 *   actual   000001c0: 00 00 [83] 00 00 00 01 00 00 00 ff ff 7f 00 00 00  ..........
 * </pre>
 */
public final class HexDiff {
  private static final int ROW = 16;

  private HexDiff() {}

  /** Index of the first difference, the shorter length if one is a prefix, or -1 if equal. */
  public static long firstDifference(byte[] expected, byte[] actual) {
    return Arrays.mismatch(expected, actual);
  }

  /** The report, or {@code "equal"}. */
  public static String describe(byte[] expected, byte[] actual) {
    long at = firstDifference(expected, actual);
    if (at < 0) return "equal";
    int rowStart = (int) (at / ROW * ROW);
    return String.format(
            Locale.ROOT,
            "first difference at offset 0x%x (%d); lengths %d and %d%n",
            at,
            at,
            expected.length,
            actual.length)
        + "  expected "
        + row(expected, actual, rowStart)
        + System.lineSeparator()
        + "  actual   "
        + row(actual, expected, rowStart);
  }

  /** Fails with {@link #describe} when the arrays differ. */
  public static void assertBytesEqual(byte[] expected, byte[] actual) {
    if (firstDifference(expected, actual) >= 0) Assertions.fail(describe(expected, actual));
  }

  private static String row(byte[] bytes, byte[] other, int start) {
    StringBuilder hex = new StringBuilder(String.format(Locale.ROOT, "%08x:", start));
    StringBuilder text = new StringBuilder();
    for (int i = start; i < start + ROW; i++) {
      if (i >= bytes.length) {
        hex.append(" --");
        continue;
      }
      boolean differs = i >= other.length || bytes[i] != other[i];
      int b = bytes[i] & 0xFF;
      hex.append(String.format(Locale.ROOT, differs ? " [%02x]" : " %02x", b));
      text.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
    }
    return hex + "  " + text;
  }
}
