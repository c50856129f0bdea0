package dev.partview.testimages;

import java.util.List;
import java.util.UUID;

/**
 * Where {@link DiskImageBuilder} put every structure, and what a correct parser must report. The
 * offsets let {@link Corruptor} damage exactly one field.
 *
 * @param diskSizeBytes the size of the modelled disk (header fields and the backup GPT use it)
 * @param fileSizeBytes the length actually written ({@code < diskSizeBytes} for truncated images)
 * @param diskId MBR signature as {@code "0x1234abcd"} or the lower-case GPT disk GUID
 * @param partitions expected partitions, in number order
 * @param ebrs the EBR chain in link order (empty without an extended partition)
 * @param extendedStartLba start of the extended partition (EBR links are relative to it), else 0
 * @param gpt GPT placement, or {@code null} for an MBR-only image
 */
public record DiskLayout(
    int sectorSize,
    long diskSizeBytes,
    long fileSizeBytes,
    String diskId,
    List<ExpectedPartition> partitions,
    List<EbrLayout> ebrs,
    long extendedStartLba,
    GptLayout gpt) {

  public DiskLayout {
    partitions = List.copyOf(partitions);
    ebrs = List.copyOf(ebrs);
  }

  /** One EBR: its LBA, byte offset, the slot of the link entry and the slots of data entries. */
  public record EbrLayout(int index, long lba, long offset, int linkSlot, List<Integer> dataSlots) {
    public EbrLayout {
      dataSlots = List.copyOf(dataSlots);
    }

    public long entryOffset(int slot) {
      return offset + mbrEntryOffset(slot);
    }

    public long linkEntryOffset() {
      return entryOffset(linkSlot);
    }
  }

  /** Primary (LBA 1) and backup (last LBA) GPT placement. */
  public record GptLayout(
      int sectorSize,
      long entriesLba,
      int entryCount,
      int entrySize,
      long firstUsableLba,
      long lastUsableLba,
      long backupHeaderLba,
      long backupEntriesLba,
      boolean backupWritten,
      UUID diskGuid) {

    public long primaryHeaderOffset() {
      return (long) sectorSize;
    }

    public long entryArrayOffset() {
      return entriesLba * sectorSize;
    }

    /** Byte offset of entry {@code number} (1-based) in the primary array. */
    public long entryOffset(int number) {
      return entryArrayOffset() + (long) (number - 1) * entrySize;
    }

    public long backupHeaderOffset() {
      return backupHeaderLba * sectorSize;
    }

    public long backupEntryArrayOffset() {
      return backupEntriesLba * sectorSize;
    }

    public long entryArrayBytes() {
      return (long) entryCount * entrySize;
    }

    public long entryArraySectors() {
      return (entryArrayBytes() + sectorSize - 1) / sectorSize;
    }
  }

  /** Byte offset of MBR slot {@code slot} (1..4) within its sector. */
  public static long mbrEntryOffset(int slot) {
    if (slot < 1 || slot > 4) throw new IllegalArgumentException("MBR slot 1..4: " + slot);
    return MbrEncoder.ENTRIES_OFFSET + (long) (slot - 1) * MbrEncoder.ENTRY_SIZE;
  }

  public boolean hasGpt() {
    return gpt != null;
  }

  public GptLayout requireGpt() {
    if (gpt == null) throw new IllegalStateException("this image has no GPT");
    return gpt;
  }

  public EbrLayout ebr(int index) {
    if (index < 0 || index >= ebrs.size()) {
      throw new IllegalArgumentException("EBR index " + index + " (chain has " + ebrs.size() + ")");
    }
    return ebrs.get(index);
  }

  public long ebrOffset(int index) {
    return ebr(index).offset();
  }

  public long primaryHeaderOffset() {
    return requireGpt().primaryHeaderOffset();
  }

  public long entryArrayOffset() {
    return requireGpt().entryArrayOffset();
  }

  public long gptEntryOffset(int number) {
    return requireGpt().entryOffset(number);
  }

  public long backupHeaderOffset() {
    return requireGpt().backupHeaderOffset();
  }

  public long backupEntryArrayOffset() {
    return requireGpt().backupEntryArrayOffset();
  }

  public ExpectedPartition partition(int number) {
    return partitions.stream()
        .filter(p -> p.number() == number)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no expected partition " + number));
  }
}
