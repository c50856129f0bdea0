package dev.partview.table;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One partition, in bytes, independent of the scheme that described it. This is all that fuse-core
 * and cli ever see; raw 16-byte MBR entries and 128-byte GPT entries stay inside this module.
 *
 * @param number Linux numbering: MBR slots 1-4 (empty slots keep their number), logicals 5, 6, … in
 *     EBR-chain order, GPT entry index + 1
 * @param kind where the entry came from
 * @param firstLba first sector, in units of the table's sector size
 * @param sectors number of sectors
 * @param start first byte ({@code firstLba * sectorSize})
 * @param size length in bytes ({@code sectors * sectorSize})
 * @param type the type code or GUID
 * @param label GPT partition name, or {@code null}
 * @param uuid GPT unique partition GUID, or {@code null}
 * @param bootable MBR boot indicator 0x80 (or GPT legacy-BIOS-bootable attribute bit 2)
 * @param attributes GPT attribute bits, 0 for MBR
 */
public record Partition(
    int number,
    PartitionKind kind,
    long firstLba,
    long sectors,
    long start,
    long size,
    PartitionType type,
    String label,
    UUID uuid,
    boolean bootable,
    long attributes) {

  public Partition {
    if (number < 1) throw new IllegalArgumentException("partition number must be >= 1: " + number);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(type, "type");
    if (firstLba < 0 || sectors < 0 || start < 0 || size < 0) {
      throw new IllegalArgumentException(
          "negative extent in partition "
              + number
              + ": lba "
              + firstLba
              + "+"
              + sectors
              + ", bytes "
              + start
              + "+"
              + size);
    }
  }

  /** The file name in a mount and the name users type: {@code p1}, {@code p5}. */
  public String name() {
    return "p" + number;
  }

  /**
   * Last byte, inclusive (as sfdisk and the JSON contract count it); {@code start - 1} if empty.
   */
  public long end() {
    return start + size - 1;
  }

  public Optional<String> labelIfPresent() {
    return Optional.ofNullable(label);
  }

  public Optional<UUID> uuidIfPresent() {
    return Optional.ofNullable(uuid);
  }

  /** Whether this entry holds data (an extended container holds only EBRs and is never a file). */
  public boolean isData() {
    return kind != PartitionKind.EXTENDED;
  }
}
