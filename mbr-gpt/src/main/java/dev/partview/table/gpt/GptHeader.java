package dev.partview.table.gpt;

import dev.partview.table.PartitionTableException;
import dev.partview.table.PartitionTableException.Kind;
import dev.partview.table.io.Block;
import dev.partview.table.io.Checked;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32;

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

  /** Far above the 128 bytes every tool writes; keeps one entry's read small. */
  static final int MAX_ENTRY_SIZE = 4096;

  /** 32768 entries of 128 bytes: what libfdisk accepts; allocated only after this check. */
  static final long MAX_ARRAY_BYTES = 4L << 20;

  public static boolean hasSignature(Block sector) throws PartitionTableException {
    return sector.length() >= 8 && sector.matches(0, SIGNATURE);
  }

  /**
   * Parses and validates a header sector read at {@code expectedLba}.
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
    byte[] copy = sector.copy(0, (int) headerSize);
    copy[16] =
        copy[17] = copy[18] = copy[19] = 0; // the CRC covers the header with its own field zeroed
    CRC32 crc = new CRC32();
    crc.update(copy);
    if (crc.getValue() != stored) {
      throw corrupt(
          where,
          base + 16,
          String.format(
              "header CRC32 0x%08x does not match the computed 0x%08x", stored, crc.getValue()));
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
    if (first < 0 || last < 0 || alternate < 0) throw corrupt(where, base + 32, "LBA above 2^63");
    if (first > last + 1)
      throw corrupt(
          where, base + 40, "first usable LBA " + first + " after last usable LBA " + last);
    long entriesLba = sector.u64(72);
    if (entriesLba < 0) throw corrupt(where, base + 72, "entry array LBA above 2^63");
    long count = sector.u32(80);
    long size = sector.u32(84);
    if (size < MIN_ENTRY_SIZE || size > MAX_ENTRY_SIZE || size % 8 != 0) {
      throw corrupt(
          where,
          base + 84,
          "entry size "
              + size
              + " (expected a multiple of 8 from "
              + MIN_ENTRY_SIZE
              + " to "
              + MAX_ENTRY_SIZE
              + ")");
    }
    if (count > maxEntries) {
      throw corrupt(where, base + 80, "entry count " + count + " above the cap of " + maxEntries);
    }
    long arrayBytes = Checked.multiply(count, size, where, base + 80, "entry array size");
    if (arrayBytes > MAX_ARRAY_BYTES) {
      throw corrupt(
          where,
          base + 80,
          count + " entries of " + size + " bytes exceed the " + MAX_ARRAY_BYTES + "-byte cap");
    }
    if (entriesLba == myLba)
      throw corrupt(where, base + 72, "entry array at LBA " + entriesLba + " overlaps the header");
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

  public long entryArrayBytes() {
    return (long) entryCount * entrySize;
  }

  private static PartitionTableException corrupt(String where, long offset, String what) {
    return new PartitionTableException(Kind.CORRUPT, where, offset, what);
  }

  /** Throws TRUNCATED when a header field names a place that does not exist. */
  static PartitionTableException truncated(String where, long offset, String what) {
    return new PartitionTableException(Kind.TRUNCATED, where, offset, what);
  }
}
