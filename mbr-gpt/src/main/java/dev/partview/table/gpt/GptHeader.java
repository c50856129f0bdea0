package dev.partview.table.gpt;

import dev.partview.table.PartitionTableException;
import dev.partview.table.PartitionTableException.Kind;
import dev.partview.table.io.Block;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * A validated GPT header (UEFI 2.10 §5.3.2). Layout: signature "EFI PART" (0), revision (8), header
 * size (12), header CRC32 (16), reserved (20), my LBA (24), alternate LBA (32), first usable LBA
 * (40), last usable LBA (48), disk GUID (56), partition entry LBA (72), number of entries (80),
 * size of an entry (84), entry array CRC32 (88).
 *
 * @param offset absolute byte offset of the header
 */
public record GptHeader(
    long offset,
    long myLba,
    long alternateLba,
    long firstUsableLba,
    long lastUsableLba,
    UUID diskGuid,
    long entriesLba,
    int entryCount,
    int entrySize,
    long entriesCrc) {

  static final byte[] SIGNATURE = "EFI PART".getBytes(StandardCharsets.US_ASCII);
  static final int MIN_HEADER_SIZE = 92;
  static final int MIN_ENTRY_SIZE = 128;

  /** 32768 entries of 128 bytes: what libfdisk accepts; allocated only after this check. */
  static final long MAX_ARRAY_BYTES = 4L << 20;

  public static boolean hasSignature(Block sector) throws PartitionTableException {
    return sector.length() >= 8 && sector.matches(0, SIGNATURE);
  }

  /**
   * Parses and validates a header sector read at {@code expectedLba}: every check of UEFI 2.10
   * §5.3.2 that needs only the header, in the order the kernel's {@code is_gpt_valid} makes them,
   * plus the layout rules it leaves to the spec (header outside the usable range, entry array clear
   * of the header). What depends on the image size (usable range or backup beyond the end) is for
   * the reader to judge: truncated images keep a valid primary.
   *
   * @throws PartitionTableException CORRUPT naming the first field that is wrong
   */
  public static GptHeader parse(Block sector, long expectedLba, int maxEntries)
      throws PartitionTableException {
    String where = sector.structure();
    long base = sector.base();
    if (!hasSignature(sector)) throw corrupt(where, base, "no \"EFI PART\" signature");
    long headerSize = sector.u32(12);
    if (headerSize < MIN_HEADER_SIZE || headerSize > sector.length()) {
      throw corrupt(
          where,
          base + 12,
          "header size "
              + headerSize
              + " out of range (expected "
              + MIN_HEADER_SIZE
              + ".."
              + sector.length()
              + ")");
    }
    long stored = sector.u32(16);
    long computed = sector.crc32(0, (int) headerSize, 16); // the CRC field counts as zero
    if (computed != stored) {
      throw corrupt(
          where,
          base + 16,
          String.format(
              Locale.ROOT,
              "header CRC32 0x%08x does not match the computed 0x%08x",
              stored,
              computed));
    }
    long myLba = sector.u64(24);
    if (myLba != expectedLba)
      throw corrupt(
          where,
          base + 24,
          "my_lba " + Long.toUnsignedString(myLba) + " (expected " + expectedLba + ")");
    long alternate = sector.u64(32);
    long first = sector.u64(40);
    long last = sector.u64(48);
    if (alternate < 0)
      throw corrupt(where, base + 32, "alternate LBA " + Long.toUnsignedString(alternate));
    if (first < 0 || last < 0) {
      throw corrupt(
          where,
          base + 40,
          "usable LBAs "
              + Long.toUnsignedString(first)
              + ".."
              + Long.toUnsignedString(last)
              + " above 2^63");
    }
    if (last < first)
      throw corrupt(
          where, base + 48, "last usable LBA " + last + " before first usable LBA " + first);
    // Only for the primary: Android eMMC tables set last_usable_lba to the backup header's own LBA
    // (corpus: pirroman-short-header), and the kernel accepts them.
    if (myLba == 1 && first <= myLba && myLba <= last) {
      throw corrupt(
          where,
          base + 40,
          "usable range " + first + ".." + last + " contains the header itself at LBA " + myLba);
    }
    long entriesLba = sector.u64(72);
    if (entriesLba < 0)
      throw corrupt(
          where, base + 72, "entry array LBA " + Long.toUnsignedString(entriesLba) + " above 2^63");
    long count = sector.u32(80);
    long size = sector.u32(84);
    if (size < MIN_ENTRY_SIZE || size % 8 != 0 || size > MAX_ARRAY_BYTES) {
      throw corrupt(
          where,
          base + 84,
          "entry size "
              + size
              + " (expected a multiple of 8 from "
              + MIN_ENTRY_SIZE
              + " to "
              + MAX_ARRAY_BYTES
              + ")");
    }
    if (count == 0) throw corrupt(where, base + 80, "entry count 0");
    if (count > maxEntries) {
      throw corrupt(where, base + 80, "entry count " + count + " above the cap of " + maxEntries);
    }
    long arrayBytes = count * size; // u32 * (at most 4 MiB): no overflow
    if (arrayBytes > MAX_ARRAY_BYTES) {
      throw corrupt(
          where,
          base + 80,
          count + " entries of " + size + " bytes exceed the " + MAX_ARRAY_BYTES + "-byte cap");
    }
    long arraySectors = (arrayBytes + sector.length() - 1) / sector.length();
    if (entriesLba <= myLba && myLba < entriesLba + arraySectors) {
      throw corrupt(
          where,
          base + 72,
          "entry array at LBA "
              + entriesLba
              + ".."
              + (entriesLba + arraySectors - 1)
              + " overlaps the header at LBA "
              + myLba);
    }
    if (entriesLba == 0)
      throw corrupt(where, base + 72, "entry array at LBA 0 overlaps the protective MBR");
    return new GptHeader(
        base,
        myLba,
        alternate,
        first,
        last,
        sector.guid(56),
        entriesLba,
        (int) count,
        (int) size,
        sector.u32(88));
  }

  /** Sectors the entry array spans. */
  public long entryArraySectors(int sectorSize) {
    return (entryArrayBytes() + sectorSize - 1) / sectorSize;
  }

  public long entryArrayBytes() {
    return (long) entryCount * entrySize;
  }

  private static PartitionTableException corrupt(String where, long offset, String what) {
    return new PartitionTableException(Kind.CORRUPT, where, offset, what);
  }
}
