package dev.partview.table;

/**
 * How to read a table.
 *
 * @param sectorSize the logical sector size to use, or 0 to detect it from content
 * @param maxGptEntries cap on a GPT header's entry count, checked before anything is allocated
 * @param maxLogicals cap on the number of logical partitions followed in an EBR chain
 */
public record ReadOptions(int sectorSize, int maxGptEntries, int maxLogicals) {

  /**
   * UEFI asks for at least 128 entries; 32768 entries of 128 bytes is 4 MiB, far above any real
   * disk.
   */
  public static final int DEFAULT_MAX_GPT_ENTRIES = 32768;

  /** Real chains are tens long; a thousand logicals is a stress test, not a disk. */
  public static final int DEFAULT_MAX_LOGICALS = 4096;

  public ReadOptions {
    if (sectorSize != 0) new SectorSize(sectorSize, "option"); // validates
    if (maxGptEntries < 1 || maxLogicals < 0) {
      throw new IllegalArgumentException(
          "caps must be positive: " + maxGptEntries + ", " + maxLogicals);
    }
  }

  public static ReadOptions defaults() {
    return new ReadOptions(0, DEFAULT_MAX_GPT_ENTRIES, DEFAULT_MAX_LOGICALS);
  }

  /** Reads with this sector size instead of detecting one. */
  public ReadOptions withSectorSize(int bytes) {
    return new ReadOptions(bytes, maxGptEntries, maxLogicals);
  }

  public boolean sectorSizeGiven() {
    return sectorSize != 0;
  }
}
