package dev.partview.table;

/**
 * The logical sector size a table was read with, and why that size: image files carry no sector
 * size, so it is either given by the user or inferred from where the structures are found.
 *
 * @param bytes 512, 1024, 2048 or 4096
 * @param source why, e.g. {@code "option"}, {@code "gpt-header"}, {@code "default"}
 */
public record SectorSize(int bytes, String source) {

  public static final int DEFAULT = 512;

  public SectorSize {
    if (bytes < 512 || bytes > 65536 || Integer.bitCount(bytes) != 1) {
      throw new IllegalArgumentException(
          "sector size must be a power of two from 512 to 65536: " + bytes);
    }
  }
}
