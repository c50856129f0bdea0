package dev.partview.testimages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** writeTo: same bytes as toBytes, sparse, truncatable; partition markers where documented. */
class SparseOutputTest {

  @Test
  void fileHasTheSameBytesAsTheArray(@TempDir Path dir) throws IOException {
    DiskImageBuilder b = MbrImageTest.legacy().withPartitionMarkers();
    HexDiff.assertBytesEqual(b.toBytes(), Files.readAllBytes(b.writeTo(dir.resolve("a.img"))));
  }

  @Test
  void aFourGibibyteGptCostsOnlyItsTableSectors(@TempDir Path dir) throws Exception {
    long size = 4L << 30;
    Path file =
        new DiskImageBuilder()
            .sizeBytes(size)
            .gpt()
            .gptPartition(1, 2048, size / 512 - 2048, "big")
            .writeTo(dir.resolve("big.img"));
    assertThat(Files.size(file)).isEqualTo(size);
    Tool stat = Tool.ok("stat", "-c", "%b %B", file.toString());
    String[] blocks = stat.out().trim().split(" ");
    long allocated = Long.parseLong(blocks[0]) * Long.parseLong(blocks[1]);
    assertThat(allocated).as("allocated bytes").isLessThan(1 << 20);
  }

  @Test
  void truncatedImagesKeepTheWholeDiskInTheirHeaders(@TempDir Path dir) throws IOException {
    DiskImageBuilder b =
        new DiskImageBuilder()
            .sizeBytes(1L << 30)
            .gpt()
            .gptPartition(1, 2048, 4095, "")
            .truncatedTo(32 * 1024);
    assertThat(b.toBytes()).hasSize(32 * 1024);
    assertThat(Files.size(b.writeTo(dir.resolve("t.img")))).isEqualTo(32 * 1024);
    assertThat(Bytes.u64(b.toBytes(), 512 + 32)).isEqualTo((1L << 30) / 512 - 1);
    assertThat(b.layout().diskSizeBytes()).isEqualTo(1L << 30);
  }

  @Test
  void markersSitAtBothEndsOfEveryDataPartition() {
    DiskImageBuilder b = MbrImageTest.legacy().withPartitionMarkers();
    byte[] image = b.toBytes();
    for (ExpectedPartition p : b.expectedPartitions()) {
      if (p.kind() == ExpectedPartition.Kind.EXTENDED) continue;
      assertThat(Bytes.slice(image, p.start(), 32))
          .isEqualTo(DiskImageBuilder.startMarker(p.number()));
      assertThat(Bytes.slice(image, p.end() - 31, 32))
          .isEqualTo(DiskImageBuilder.endMarker(p.number()));
    }
    assertThat(
            new String(DiskImageBuilder.startMarker(5), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("PARTVIEW P5 START...............");
    long ebr = b.ebrOffset(0);
    assertThat(Bytes.slice(image, ebr + 510, 2))
        .as("tables win over markers")
        .isEqualTo(Bytes.hex("55aa"));
  }
}
