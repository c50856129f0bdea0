package dev.partview.testimages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tools read a plain file with 512-byte sectors; a read-only loop device with a larger logical
 * block size lets sfdisk and sgdisk check the builder's 1K/2K/4K images.
 */
class LargeSectorLoopIT {
  @TempDir Path dir;

  @BeforeEach
  void needsLoopAndTools() {
    IntegrationEnvironment.requireLoop();
    IntegrationEnvironment.requireTool("losetup");
    IntegrationEnvironment.requireTool("sfdisk");
    IntegrationEnvironment.requireTool("sgdisk");
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 2048, 4096})
  void gptOnLargeSectors(int sectorSize) throws Exception {
    long sectors = (64L << 20) / sectorSize;
    long arraySectors = 16384 / sectorSize;
    DiskImageBuilder b =
        new DiskImageBuilder()
            .sectorSize(sectorSize)
            .sizeBytes(64L << 20)
            .gpt()
            .gptPartition(
                GptPartition.of(1, 256, 511).withType(GptPartition.EFI_SYSTEM).withName("EFI"))
            .gptPartition(2, 512, 512, "one sector")
            .gptPartition(9, 1024, sectors - arraySectors - 2, "rest, ünïcödé");
    Path image = b.writeTo(dir.resolve("gpt-" + sectorSize + ".img"));
    try (LoopAttachment loop = LoopAttachment.attachReadOnly(image, sectorSize)) {
      Sfdisk sfdisk = Sfdisk.read(loop.path());
      assertThat(sfdisk.sectorSize()).isEqualTo(sectorSize);
      assertThat(sfdisk.label()).isEqualTo("gpt");
      assertThat(sfdisk.table.path("firstlba").asLong()).isEqualTo(2 + arraySectors);
      assertThat(sfdisk.listing())
          .containsExactlyElementsOf(Sfdisk.expected(b.expectedPartitions()));
      assertThat(sfdisk.stderr).isEmpty();

      String print = Tool.ok("sgdisk", "-p", loop.device()).out();
      assertThat(print)
          .containsPattern("Sector size \\(logical(/physical)?\\): " + sectorSize + "\\b");
      for (ExpectedPartition p : b.expectedPartitions()) {
        assertThat(Sgdisk.info(loop.path(), p.number())).isEqualTo(Sgdisk.expected(p));
      }
      Tool verify = Tool.run("sgdisk", "-v", loop.device());
      assertThat(verify.out()).contains("No problems found");
    }
  }

  /** MBR and EBR chains on large sectors: a case the corpus has no real image for. */
  @ParameterizedTest
  @ValueSource(ints = {1024, 2048, 4096})
  void mbrWithLogicalsOnLargeSectors(int sectorSize) throws Exception {
    DiskImageBuilder b =
        new DiskImageBuilder()
            .sectorSize(sectorSize)
            .sizeBytes(64L << 20)
            .diskSignature(0xdeadbeefL)
            .primary(1, 0x83, 8, 1000)
            .bootable(1)
            .extended(3, 0x0F, 2048, 8192)
            .logical(0x83, 2048, 2056, 1000)
            .logical(0x82, 4000, 4001, 2000)
            .logical(0x07, 7000, 7100, 3000);
    Path image = b.writeTo(dir.resolve("mbr-" + sectorSize + ".img"));
    try (LoopAttachment loop = LoopAttachment.attachReadOnly(image, sectorSize)) {
      Sfdisk sfdisk = Sfdisk.read(loop.path());
      assertThat(sfdisk.sectorSize()).isEqualTo(sectorSize);
      assertThat(sfdisk.id()).isEqualTo("0xdeadbeef");
      assertThat(sfdisk.listing())
          .containsExactlyElementsOf(Sfdisk.expected(b.expectedPartitions()));
    }
  }
}
