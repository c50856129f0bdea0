package dev.partview.testimages;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes MBR and EBR sectors. Layout of sector 0 (and of every EBR): boot code 0..439, disk
 * signature u32 at 440 (EBRs: 0), 2 reserved bytes, four 16-byte entries at 446, 0x55 0xAA at 510.
 * An entry: boot indicator, CHS start (3), type, CHS end (3), start LBA u32, sector count u32.
 */
final class MbrEncoder {
  static final int SECTOR = 512;
  static final int DISK_SIGNATURE_OFFSET = 440;
  static final int ENTRIES_OFFSET = 446;
  static final int ENTRY_SIZE = 16;

  private MbrEncoder() {}

  /** An entry in the table sense; {@code sectors == 0} means an empty slot. */
  record Entry(int bootIndicator, int type, long startLba, long sectors) {
    Entry {
      requireByte("boot indicator", bootIndicator);
      requireByte("type", type);
      requireU32("start LBA", startLba);
      requireU32("sector count", sectors);
    }
  }

  /** A 512-byte MBR/EBR sector; {@code entries[i] == null} leaves slot i + 1 all zero. */
  static byte[] sector(long diskSignature, Entry[] entries) {
    if (entries.length != 4) throw new IllegalArgumentException("an MBR has 4 slots");
    byte[] out = new byte[SECTOR];
    ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(DISK_SIGNATURE_OFFSET, (int) diskSignature);
    for (int i = 0; i < 4; i++) {
      if (entries[i] != null) buf.put(ENTRIES_OFFSET + i * ENTRY_SIZE, entry(entries[i]));
    }
    out[510] = 0x55;
    out[511] = (byte) 0xAA;
    return out;
  }

  static byte[] entry(Entry e) {
    byte[] out = new byte[ENTRY_SIZE];
    ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(0, (byte) e.bootIndicator());
    buf.put(1, chs(e.startLba()));
    buf.put(4, (byte) e.type());
    buf.put(5, chs(e.sectors() == 0 ? e.startLba() : e.startLba() + e.sectors() - 1));
    buf.putInt(8, (int) e.startLba());
    buf.putInt(12, (int) e.sectors());
    return out;
  }

  /**
   * CHS for the conventional 255-head, 63-sector geometry, saturated at cylinder 1023 (FE FF FF) as
   * fdisk writes it; bytes: head, sector | (cylinder bits 8-9 << 6), cylinder bits 0-7.
   */
  static byte[] chs(long lba) {
    long cylinder = lba / (255 * 63);
    if (cylinder > 1023) return new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF};
    int head = (int) ((lba / 63) % 255);
    int sector = (int) (lba % 63) + 1;
    return new byte[] {
      (byte) head, (byte) (sector | ((cylinder >> 2) & 0xC0)), (byte) (cylinder & 0xFF)
    };
  }

  static boolean isExtendedType(int type) {
    return type == 0x05 || type == 0x0F || type == 0x85;
  }

  private static void requireByte(String what, int value) {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException("MBR " + what + " is not a byte: " + value);
    }
  }

  static void requireU32(String what, long value) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("MBR " + what + " does not fit 32 bits: " + value);
    }
  }
}
