package dev.partview.testimages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPT fdisk agrees on names, GUIDs and attributes, and finds nothing wrong with the tables. */
class SgdiskCrossCheckTest {
  @TempDir Path dir;

  @BeforeEach
  void needsSgdisk() {
    IntegrationEnvironment.requireTool("sgdisk");
  }

  /** gdisk 1.0.9 stores names as UCS-2, so this layout keeps to the Basic Multilingual Plane. */
  static DiskImageBuilder bmpNames() {
    return new DiskImageBuilder()
        .sizeBytes(128L << 20)
        .gpt()
        .diskGuid(java.util.UUID.fromString("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"))
        .gptPartition(
            GptPartition.of(1, 2048, 4095)
                .withType(GptPartition.EFI_SYSTEM)
                .withAttributes(1)
                .withName("EFI système"))
        .gptPartition(2, 4096, 4096, "日本語")
        .gptPartition(
            GptPartition.of(7, 8192, 16_383)
                .withType(GptPartition.MICROSOFT_BASIC_DATA)
                .withAttributes(GptPartition.LEGACY_BIOS_BOOTABLE | (1L << 60) | (1L << 63))
                .withName("Ελληνικά"))
        .gptPartition(128, 200_000, 262_110, "");
  }

  @Test
  void everyEntryAsSgdiskShowsIt() throws Exception {
    DiskImageBuilder b = bmpNames();
    Path image = b.writeTo(dir.resolve("gpt.img"));
    for (ExpectedPartition p : b.expectedPartitions()) {
      assertThat(Sgdisk.info(image, p.number())).isEqualTo(Sgdisk.expected(p));
    }
    String print = Tool.ok("sgdisk", "-p", image.toString()).out();
    assertThat(Sgdisk.field(print, "Disk identifier \\(GUID\\): (\\S+)").toLowerCase(Locale.ROOT))
        .isEqualTo(b.layout().diskId());
    assertThat(print).contains("Partition table holds up to 128 entries");
    assertThat(print).contains("First usable sector is 34, last usable sector is 262110");
    assertThat(verify(image)).contains("No problems found");
  }

  @Test
  void aSmallerEntryArrayIsStillSound() throws Exception {
    DiskImageBuilder b =
        new DiskImageBuilder()
            .sizeBytes(16L << 20)
            .gpt()
            .entryCount(32)
            .gptPartition(1, 64, 4095, "x");
    Path image = b.writeTo(dir.resolve("small.img"));
    assertThat(Tool.ok("sgdisk", "-p", image.toString()).out())
        .contains("Partition table holds up to 32 entries")
        .contains("Main partition table begins at sector 2 and ends at sector 9");
    assertThat(verify(image)).contains("No problems found");
  }

  @Test
  void protectiveAndHybridMbrsAreRecognised() throws Exception {
    Path protective = bmpNames().writeTo(dir.resolve("protective.img"));
    assertThat(gdiskScan(protective)).contains("MBR: protective");

    DiskImageBuilder hybrid =
        bmpNames().protectiveMbr(4, 1, 2047).primary(1, 0x0c, 2048, 2048).bootable(1);
    Path image = hybrid.writeTo(dir.resolve("hybrid.img"));
    assertThat(gdiskScan(image))
        .contains("MBR: hybrid")
        .contains("Found valid GPT with hybrid MBR");
    assertThat(Tool.ok("sgdisk", "-O", image.toString()).out())
        .containsPattern("1\\s+\\*\\s+2048\\s+4095\\s+primary\\s+0x0C")
        .containsPattern("4\\s+1\\s+2047\\s+primary\\s+0xEE");
    assertThat(verify(image)).contains("No problems found");
  }

  @Test
  void corruptedCopiesAreReportedAsSuch() throws Exception {
    DiskImageBuilder b = bmpNames();
    Path header = b.writeTo(dir.resolve("header.img"));
    Corruptor.of(header, b.layout()).breakPrimaryHeaderCrc();
    assertThat(verify(header)).contains("Main header: ERROR").contains("Backup header: OK");

    Path backup = b.writeTo(dir.resolve("backup.img"));
    Corruptor.of(backup, b.layout()).breakBackupHeaderCrc();
    assertThat(verify(backup)).contains("Main header: OK").contains("Backup header: ERROR");

    Path array = b.writeTo(dir.resolve("array.img"));
    Corruptor.of(array, b.layout()).breakEntryArrayCrc();
    assertThat(verify(array)).contains("Main header: OK").contains("Main partition table: ERROR");
  }

  private static String verify(Path image) throws Exception {
    return Tool.run("sgdisk", "-v", image.toString()).output();
  }

  private static String gdiskScan(Path image) throws Exception {
    IntegrationEnvironment.requireTool("gdisk");
    return Tool.run("gdisk", "-l", image.toString()).out();
  }
}
