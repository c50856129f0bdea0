package dev.partview.testimages;

import java.util.Locale;
import java.util.UUID;

/**
 * What a correct parser must report for one partition, in the vocabulary of the corpus manifest and
 * of {@code dev.partview.table.Partition} (compare field by field; {@link #type()} has the spelling
 * of {@code PartitionType.id()}).
 *
 * @param number Linux numbering: MBR slot 1-4, logicals 5, 6, … in chain order, GPT entry index + 1
 * @param kind where the entry lives
 * @param firstLba first sector, in the image's sector size
 * @param sectors length in sectors
 * @param start first byte
 * @param size length in bytes (GPT: inclusive end, {@code (last - first + 1) * sectorSize})
 * @param type {@code "0x83"} for MBR, a lower-case type GUID for GPT, the label's string otherwise
 * @param label GPT name (up to the first NUL, {@code ""} when unnamed), else {@code null}
 * @param uuid GPT unique partition GUID, else {@code null}
 * @param bootable MBR boot indicator 0x80, or GPT attribute bit 2 (legacy BIOS bootable)
 * @param attributes GPT attribute bits, 0 for MBR
 */
public record ExpectedPartition(
    int number,
    Kind kind,
    long firstLba,
    long sectors,
    long start,
    long size,
    String type,
    String label,
    UUID uuid,
    boolean bootable,
    long attributes) {

  /**
   * Same constant names as {@code dev.partview.table.PartitionKind}, plus OTHER for other labels.
   */
  public enum Kind {
    PRIMARY,
    EXTENDED,
    LOGICAL,
    GPT,
    /** BSD/Sun/SGI/… entries of the corpus that the MBR/GPT parser does not produce. */
    OTHER
  }

  /** The contract's spelling of an MBR type byte. */
  public static String mbrType(int code) {
    return String.format(Locale.ROOT, "0x%02x", code);
  }

  /** Last byte, inclusive. */
  public long end() {
    return start + size - 1;
  }

  /** One line for assertion messages and golden listings. */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "p%d %s start=%d size=%d lba=%d+%d type=%s label=%s uuid=%s bootable=%s attrs=0x%x",
        number,
        kind.name().toLowerCase(Locale.ROOT),
        start,
        size,
        firstLba,
        sectors,
        type,
        label,
        uuid,
        bootable,
        attributes);
  }
}
