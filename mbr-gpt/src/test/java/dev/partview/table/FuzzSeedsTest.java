package dev.partview.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.testimages.Corruptor;
import dev.partview.testimages.DiskImageBuilder;
import dev.partview.testimages.GptPartition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The builder-made seeds of {@link PartitionTableReaderFuzzTest} are committed as files (Jazzer
 * reads them from the resources directory); this test proves they are still exactly what the
 * builder makes, and rewrites them with {@code -Dpartview.writeSeeds=true} after a builder change.
 */
class FuzzSeedsTest {
  static final String DIR = "dev/partview/table/PartitionTableReaderFuzzTestInputs/readAnyBytes/";

  /** Small images (16-64 KiB) covering each reader path: libFuzzer mutates small inputs best. */
  static Map<String, byte[]> seeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    DiskImageBuilder chain =
        new DiskImageBuilder()
            .sizeBytes(64 << 10)
            .primary(1, 0x0C, 1, 15)
            .bootable(1)
            .extended(2, 0x0F, 16, 112)
            .logical(0x83, 16, 17, 20)
            .logical(0x82, 80, 81, 20)
            .logical(0x07, 40, 41, 20);
    seeds.put("builder-mbr-backward-chain.img", chain.toBytes());
    seeds.put(
        "builder-mbr-ebr-cycle.img",
        Corruptor.of(chain.toBytes(), chain.layout()).loopEbrChain(2, 0).bytes());
    seeds.put(
        "builder-mbr-4kn.img",
        new DiskImageBuilder()
            .sectorSize(4096)
            .sizeBytes(64 << 10)
            .extended(1, 0x05, 2, 14)
            .logical(0x83, 2, 3, 4)
            .logical(0x83, 8, 9, 7)
            .toBytes());
    DiskImageBuilder gpt =
        new DiskImageBuilder()
            .sizeBytes(16 << 10)
            .gpt()
            .entryCount(4)
            .gptPartition(1, 4, 9, "EFI system")
            .gptPartition(
                GptPartition.of(3, 10, 25)
                    .withName("ра́здел ✓")
                    .withAttributes(GptPartition.LEGACY_BIOS_BOOTABLE | 1L << 60));
    seeds.put("builder-gpt-512.img", gpt.toBytes());
    seeds.put(
        "builder-gpt-backup-only.img",
        Corruptor.of(gpt.toBytes(), gpt.layout()).zeroPrimaryHeader().bytes());
    seeds.put(
        "builder-gpt-4096-hybrid.img",
        new DiskImageBuilder()
            .sectorSize(4096)
            .sizeBytes(64 << 10)
            .gpt()
            .entryCount(4)
            .gptPartition(1, 3, 7, "hybrid")
            .primary(2, 0x0C, 3, 5)
            .toBytes());
    return seeds;
  }

  @Test
  void committedSeedsAreWhatTheBuilderMakes() throws IOException {
    boolean write = Boolean.getBoolean("partview.writeSeeds");
    for (Map.Entry<String, byte[]> seed : seeds().entrySet()) {
      if (write) {
        Path dir = Path.of("src/test/resources", DIR);
        Files.createDirectories(dir);
        Files.write(dir.resolve(seed.getKey()), seed.getValue());
        continue;
      }
      try (InputStream in = FuzzSeedsTest.class.getResourceAsStream("/" + DIR + seed.getKey())) {
        assertThat(in)
            .as("seed %s (write with -Dpartview.writeSeeds=true)", seed.getKey())
            .isNotNull();
        assertThat(in.readAllBytes()).as(seed.getKey()).isEqualTo(seed.getValue());
      }
    }
  }

  @Test
  void everySeedReadsAsATable() throws IOException {
    for (Map.Entry<String, byte[]> seed : seeds().entrySet()) {
      PartitionTable t =
          PartitionTableReader.read(
              new dev.partview.table.io.ByteArraySource(seed.getValue()), ReadOptions.defaults());
      assertThat(t.partitions()).as(seed.getKey()).isNotEmpty();
    }
  }
}
