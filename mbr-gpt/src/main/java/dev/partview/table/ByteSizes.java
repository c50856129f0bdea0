package dev.partview.table;

import java.util.Locale;

/**
 * Sizes and offsets as users type them: plain bytes ({@code 32256}), sectors ({@code 63s}) or
 * binary units ({@code 1K}, {@code 100M}, {@code 2G}, {@code 1T}, optionally spelled {@code KiB}).
 */
public final class ByteSizes {
  private ByteSizes() {}

  /**
   * Parses a non-negative size: ASCII digits and a unit, nothing around them. Strict, because in a
   * mount {@code offset/NAME} every spelling that parses becomes a view of its own: {@code " 1"} or
   * a full-width {@code １} would have been byte 1 again ({@code 01} and {@code 1s} still are).
   *
   * @param sectorSize what one {@code s} is worth
   * @throws IllegalArgumentException with a message naming the text, if it is not a size or
   *     overflows 63 bits
   */
  public static long parse(String text, int sectorSize) {
    String t = text;
    int digits = digits(t);
    if (digits == 0) throw new IllegalArgumentException("not a size: '" + text + "'");
    String unit = t.substring(digits).toUpperCase(Locale.ROOT);
    long multiplier =
        switch (unit) {
          case "", "B" -> 1L;
          case "S" -> sectorSize;
          case "K", "KIB" -> 1L << 10;
          case "M", "MIB" -> 1L << 20;
          case "G", "GIB" -> 1L << 30;
          case "T", "TIB" -> 1L << 40;
          default ->
              throw new IllegalArgumentException(
                  "unknown unit '"
                      + t.substring(digits)
                      + "' in '"
                      + text
                      + "' (use s, K, M, G or T)");
        };
    try {
      return Math.multiplyExact(Long.parseLong(t.substring(0, digits)), multiplier);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("size too large: '" + text + "'", e);
    }
  }

  /** Whether the text counts in sectors ({@code 63s}): only then does {@link #parse} need one. */
  public static boolean inSectors(String text) {
    return text.substring(digits(text)).equalsIgnoreCase("s");
  }

  private static int digits(String t) {
    int n = 0;
    while (n < t.length() && t.charAt(n) >= '0' && t.charAt(n) <= '9')
      n++; // not other scripts' digits
    return n;
  }

  /** Bytes as a short human figure, e.g. {@code 512M}, {@code 1.5G}, {@code 31.5K}. */
  public static String human(long bytes) {
    String[] units = {"B", "K", "M", "G", "T", "P", "E"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    if (u == 0) return bytes + "B";
    return (v == Math.rint(v)
            ? String.format(Locale.ROOT, "%.0f", v)
            : String.format(Locale.ROOT, "%.1f", v))
        + units[u];
  }
}
