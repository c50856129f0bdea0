package dev.partview.testimages;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Encodes GPT headers and entries (UEFI 2.10 §5.3). Header: "EFI PART", revision 1.0, header size
 * 92, header CRC32 (computed with the field zeroed), my/alternate LBA, first/last usable LBA, disk
 * GUID, entry-array LBA, entry count, entry size, entry-array CRC32. Entry: type GUID, unique GUID,
 * first and last LBA (inclusive), attributes, 36 UTF-16LE code units of name.
 */
final class GptEncoder {
  static final byte[] SIGNATURE = "EFI PART".getBytes(StandardCharsets.US_ASCII);
  static final int REVISION_1_0 = 0x0001_0000;
  static final int HEADER_SIZE = 92;
  static final int HEADER_SIZE_OFFSET = 12;
  static final int HEADER_CRC_OFFSET = 16;
  static final int MY_LBA_OFFSET = 24;
  static final int ENTRY_COUNT_OFFSET = 80;
  static final int ENTRY_SIZE_OFFSET = 84;
  static final int ENTRIES_CRC_OFFSET = 88;
  static final int MIN_ENTRY_SIZE = 128;
  static final int NAME_OFFSET = 56;
  static final int NAME_UNITS = 36;

  private GptEncoder() {}

  /** The fields of one header; primary and backup differ in my/alternate LBA and entries LBA. */
  record Header(
      long myLba,
      long alternateLba,
      long firstUsableLba,
      long lastUsableLba,
      UUID diskGuid,
      long entriesLba,
      int entryCount,
      int entrySize,
      int entriesCrc) {}

  /** A whole header sector, CRC included. */
  static byte[] header(Header h, int sectorSize) {
    byte[] out = new byte[sectorSize];
    ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(0, SIGNATURE);
    buf.putInt(8, REVISION_1_0);
    buf.putInt(HEADER_SIZE_OFFSET, HEADER_SIZE);
    buf.putLong(MY_LBA_OFFSET, h.myLba());
    buf.putLong(32, h.alternateLba());
    buf.putLong(40, h.firstUsableLba());
    buf.putLong(48, h.lastUsableLba());
    buf.put(56, guid(h.diskGuid()));
    buf.putLong(72, h.entriesLba());
    buf.putInt(ENTRY_COUNT_OFFSET, h.entryCount());
    buf.putInt(ENTRY_SIZE_OFFSET, h.entrySize());
    buf.putInt(ENTRIES_CRC_OFFSET, h.entriesCrc());
    buf.putInt(HEADER_CRC_OFFSET, headerCrc(out, HEADER_SIZE));
    return out;
  }

  /**
   * CRC32 of the first {@code headerSize} bytes with the CRC field taken as zero; the size is
   * clamped to the buffer so a corrupted size still yields a value.
   */
  static int headerCrc(byte[] headerSector, long headerSize) {
    int n = (int) Math.max(0, Math.min(headerSize, headerSector.length));
    byte[] copy = java.util.Arrays.copyOf(headerSector, n);
    for (int i = HEADER_CRC_OFFSET; i < Math.min(n, HEADER_CRC_OFFSET + 4); i++) copy[i] = 0;
    return crc32(copy, 0, n);
  }

  static int crc32(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /** The entry array (count × size bytes) with the given partitions in their slots. */
  static byte[] entryArray(Iterable<GptPartition> partitions, int entryCount, int entrySize) {
    byte[] out = new byte[Math.multiplyExact(entryCount, entrySize)];
    for (GptPartition p : partitions) {
      System.arraycopy(entry(p), 0, out, (p.number() - 1) * entrySize, MIN_ENTRY_SIZE);
    }
    return out;
  }

  static byte[] entry(GptPartition p) {
    byte[] out = new byte[MIN_ENTRY_SIZE];
    ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(0, guid(p.type()));
    buf.put(16, guid(p.uuid()));
    buf.putLong(32, p.firstLba());
    buf.putLong(40, p.lastLba());
    buf.putLong(48, p.attributes());
    buf.put(NAME_OFFSET, p.name().getBytes(StandardCharsets.UTF_16LE));
    return out;
  }

  /**
   * The on-disk GUID layout: the first three fields (32, 16, 16 bits) little-endian, the last eight
   * bytes in string order. 0fc63daf-8483-4772-8e79-3d69d8477de4 is stored AF 3D C6 0F 83 84 72 47
   * 8E 79 3D 69 D8 47 7D E4.
   */
  static byte[] guid(UUID uuid) {
    ByteBuffer big = ByteBuffer.allocate(16);
    big.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    byte[] b = big.array();
    return new byte[] {
      b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
      b[15]
    };
  }
}
