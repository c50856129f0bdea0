package dev.partview.testimages;

import dev.partview.testimages.DiskLayout.GptLayout;
import dev.partview.testimages.ExpectedPartition.Kind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The GPT side of a {@link DiskImageBuilder}: where the primary (LBA 1 + array) and backup (array
 * just before the last LBA, header on it) go, the expected partitions, and the bytes.
 */
final class GptPlan {
  private final GptLayout layout;
  private final List<GptPartition> partitions;

  /** {@code firstUsableLba}/{@code lastUsableLba} {@code < 0}: derive them from the arrays. */
  GptPlan(
      int sectorSize,
      long sizeBytes,
      UUID diskGuid,
      long entriesLba,
      int entryCount,
      int entrySize,
      long firstUsableLba,
      long lastUsableLba,
      boolean backup,
      Collection<GptPartition> partitions) {
    long arraySectors = ((long) entryCount * entrySize + sectorSize - 1) / sectorSize;
    long backupHeaderLba = sizeBytes / sectorSize - 1;
    long backupEntriesLba = backupHeaderLba - arraySectors;
    if (backupEntriesLba < entriesLba + arraySectors) {
      throw new IllegalStateException(
          "a "
              + sizeBytes
              + "-byte disk has no room for two GPT entry arrays of "
              + arraySectors
              + " sectors");
    }
    for (GptPartition p : partitions) {
      if (p.number() > entryCount) {
        throw new IllegalStateException(
            "GPT entry " + p.number() + " does not fit an array of " + entryCount + " entries");
      }
    }
    this.layout =
        new GptLayout(
            sectorSize,
            entriesLba,
            entryCount,
            entrySize,
            firstUsableLba >= 0 ? firstUsableLba : entriesLba + arraySectors,
            lastUsableLba >= 0 ? lastUsableLba : backupEntriesLba - 1,
            backupHeaderLba,
            backupEntriesLba,
            backup,
            diskGuid);
    this.partitions = List.copyOf(partitions);
  }

  GptLayout layout() {
    return layout;
  }

  List<ExpectedPartition> expected() {
    List<ExpectedPartition> out = new ArrayList<>();
    int s = layout.sectorSize();
    for (GptPartition p : partitions) {
      String name = p.name();
      int nul = name.indexOf('\0');
      out.add(
          new ExpectedPartition(
              p.number(),
              Kind.GPT,
              p.firstLba(),
              p.sectors(),
              p.firstLba() * s,
              p.sectors() * s,
              p.type().toString(),
              nul < 0 ? name : name.substring(0, nul),
              p.uuid(),
              (p.attributes() & GptPartition.LEGACY_BIOS_BOOTABLE) != 0,
              p.attributes()));
    }
    return out;
  }

  void write(SparseImage image) {
    GptLayout g = layout;
    byte[] array = GptEncoder.entryArray(partitions, g.entryCount(), g.entrySize());
    int arrayCrc = GptEncoder.crc32(array, 0, array.length);
    image.write(g.primaryHeaderOffset(), header(1, g.backupHeaderLba(), g.entriesLba(), arrayCrc));
    image.write(g.entryArrayOffset(), array);
    if (!g.backupWritten()) return;
    image.write(g.backupEntryArrayOffset(), array);
    image.write(
        g.backupHeaderOffset(), header(g.backupHeaderLba(), 1, g.backupEntriesLba(), arrayCrc));
  }

  private byte[] header(long myLba, long alternateLba, long entriesLba, int arrayCrc) {
    GptLayout g = layout;
    return GptEncoder.header(
        new GptEncoder.Header(
            myLba,
            alternateLba,
            g.firstUsableLba(),
            g.lastUsableLba(),
            g.diskGuid(),
            entriesLba,
            g.entryCount(),
            g.entrySize(),
            arrayCrc),
        g.sectorSize());
  }
}
