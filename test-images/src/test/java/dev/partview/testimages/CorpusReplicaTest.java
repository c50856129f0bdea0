package dev.partview.testimages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder, given the layout of a real corpus image, writes the same table bytes that image
 * holds and expects the partitions its manifest lists: the oracle checked against the world.
 */
class CorpusReplicaTest {
  @TempDir Path dir;

  /**
   * DFTT ext-part-test-2: three FAT16 primaries from LBA 63, an extended partition whose first EBR
   * holds two data entries and the link in slot 3. CHS bytes differ (the image used 32 heads), so
   * the comparison covers boot flag, type, start and size of every entry.
   */
  @Test
  void dfttEbrWithTwoDataEntries() throws Exception {
    Corpus corpus = Corpus.require();
    CorpusEntry entry = corpus.entry("dftt-ext-part-test-2");
    Path realFile = corpus.decompress(entry);
    DiskImageBuilder b =
        new DiskImageBuilder()
            .sizeBytes(entry.uncompressedSize())
            .diskSignature(0x8a8ffef4L)
            .primary(1, 0x04, 63, 52_353)
            .primary(2, 0x04, 52_416, 52_416)
            .primary(3, 0x04, 104_832, 52_416)
            .extended(4, 0x05, 157_248, 155_232)
            .ebr(
                Ebr.at(157_248)
                    .logical(0x04, 157_311, 52_353)
                    .logical(0x04, 209_727, 52_353)
                    .linkInSlot(3))
            .logical(0x06, 262_080, 262_143, 50_337);
    // 153 MB: compare the table sectors through sparse files rather than in memory.
    Path builtFile = b.writeTo(dir.resolve("replica.dd"));
    List<Long> sectors = new ArrayList<>(List.of(0L));
    for (DiskLayout.EbrLayout ebr : b.layout().ebrs()) sectors.add(ebr.offset());
    for (long sector : sectors) {
      byte[] real = Bytes.read(realFile, sector, 512);
      byte[] built = Bytes.read(builtFile, sector, 512);
      assertThat(Bytes.u32(built, 440)).isEqualTo(Bytes.u32(real, 440));
      assertEntriesEqual(real, built, 0);
    }
    assertThat(b.expectedPartitions()).containsExactlyElementsOf(entry.partitions());
  }

  /** gptman disk2: 4096-byte sectors; header, array and backup must match byte for byte. */
  @Test
  void gptmanFourKibibyteSectorDisk() throws Exception {
    Corpus corpus = Corpus.require();
    CorpusEntry entry = corpus.entry("gptman-disk2");
    byte[] real = Files.readAllBytes(corpus.decompress(entry));
    DiskImageBuilder b =
        new DiskImageBuilder()
            .sectorSize(4096)
            .sizeBytes(real.length)
            .diskSignature(0)
            .gpt()
            .diskGuid(UUID.fromString(entry.diskId()));
    for (ExpectedPartition p : entry.partitions()) {
      b.gptPartition(
          GptPartition.of(p.number(), p.firstLba(), p.firstLba() + p.sectors() - 1)
              .withType(UUID.fromString(p.type()))
              .withUuid(p.uuid())
              .withName(p.label()));
    }
    byte[] built = b.toBytes();
    DiskLayout.GptLayout g = b.layout().requireGpt();
    for (long offset : List.of(g.primaryHeaderOffset(), g.backupHeaderOffset())) {
      HexDiff.assertBytesEqual(Bytes.slice(real, offset, 92), Bytes.slice(built, offset, 92));
    }
    int array = (int) g.entryArrayBytes();
    HexDiff.assertBytesEqual(
        Bytes.slice(real, g.entryArrayOffset(), array),
        Bytes.slice(built, g.entryArrayOffset(), array));
    HexDiff.assertBytesEqual(
        Bytes.slice(real, g.backupEntryArrayOffset(), array),
        Bytes.slice(built, g.backupEntryArrayOffset(), array));
    assertEntriesEqual(real, built, 0);
    assertThat(b.expectedPartitions()).containsExactlyElementsOf(entry.partitions());
  }

  /** Boot indicator, type, start LBA and size of all four entries of one MBR/EBR sector. */
  private static void assertEntriesEqual(byte[] real, byte[] built, long sector) {
    for (int slot = 1; slot <= 4; slot++) {
      long e = sector + DiskLayout.mbrEntryOffset(slot);
      HexDiff.assertBytesEqual(masked(real, e), masked(built, e));
    }
  }

  private static byte[] masked(byte[] image, long entry) {
    byte[] b = Bytes.slice(image, entry, 16);
    b[1] = b[2] = b[3] = b[5] = b[6] = b[7] = 0;
    return b;
  }
}
