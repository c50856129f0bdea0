package dev.partview.table.mbr;

import dev.partview.table.PartitionTableException;
import dev.partview.table.io.Block;

/**
 * One raw 16-byte partition entry, as found in the MBR or in an EBR. Layout: boot indicator (1),
 * CHS start (3), type (1), CHS end (3), LBA start (4, little-endian), sector count (4). CHS fields
 * are ignored, as Linux ignores them.
 *
 * @param slot 0..3
 * @param offset absolute byte offset of the entry in the image
 */
public record MbrEntry(
    int slot, long offset, int bootIndicator, int type, long lbaStart, long sectors) {

  /** Entries start at byte 446 of the sector; the 0x55AA signature follows the fourth at 510. */
  public static final int TABLE_OFFSET = 446;

  public static MbrEntry read(Block sector, int slot) throws PartitionTableException {
    int o = TABLE_OFFSET + 16 * slot;
    return new MbrEntry(
        slot,
        sector.base() + o,
        sector.u8(o),
        sector.u8(o + 4),
        sector.u32(o + 8),
        sector.u32(o + 12));
  }

  /**
   * Type 0x00: an unused slot by the spec. (Linux goes by the sector count: see {@link #isUsed}.)
   */
  public boolean isEmpty() {
    return type == 0;
  }

  /**
   * Whether Linux treats this slot as a partition: the kernel ({@code msdos.c}), libblkid and
   * libfdisk all test the sector count, not the type, so a typed entry of 0 sectors is skipped and
   * a type-0x00 entry with sectors is a partition.
   */
  public boolean isUsed() {
    return sectors != 0;
  }

  /** A boot indicator the spec allows: 0x00 or 0x80. */
  public boolean hasValidBootIndicator() {
    return bootIndicator == 0 || bootIndicator == 0x80;
  }

  /** DOS extended (0x05), Windows LBA extended (0x0F) and Linux extended (0x85) hold EBR chains. */
  public boolean isExtended() {
    return type == 0x05 || type == 0x0F || type == 0x85;
  }

  public boolean isProtectiveGpt() {
    return type == 0xEE;
  }

  public boolean bootable() {
    return bootIndicator == 0x80;
  }
}
