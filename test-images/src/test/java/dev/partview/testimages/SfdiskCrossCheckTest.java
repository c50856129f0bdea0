package dev.partview.testimages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** util-linux's sfdisk reads the builder's images as the builder says it wrote them. */
class SfdiskCrossCheckTest {
  @TempDir Path dir;

  @BeforeEach
  void needsSfdisk() {
    IntegrationEnvironment.requireTool("sfdisk");
  }

  @Test
  void legacyMbrAt63WithThreeLogicals() throws Exception {
    DiskImageBuilder b = MbrImageTest.legacy();
    Sfdisk sfdisk = Sfdisk.read(b.writeTo(dir.resolve("legacy.img")));
    assertThat(sfdisk.label()).isEqualTo("dos");
    assertThat(sfdisk.id()).isEqualTo("0x8a8ffef4");
    assertThat(sfdisk.listing()).containsExactlyElementsOf(Sfdisk.expected(b.expectedPartitions()));
    assertThat(sfdisk.stderr).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {0x05, 0x0F, 0x85})
  void everyExtendedTypeWithGapsBetweenEbrAndData(int type) throws Exception {
    DiskImageBuilder b =
        new DiskImageBuilder()
            .sizeBytes(128L << 20)
            .primary(1, 0x83, 2048, 2048)
            .extended(2, type, 8192, 200_000)
            .logical(0x83, 8192, 10_240, 4096)
            .logical(0x07, 20_000, 30_000, 1)
            .logical(0x82, 100_000, 100_001, 50_000)
            .logical(0x0c, 150_001, 190_000, 18_192);
    Sfdisk sfdisk = Sfdisk.read(b.writeTo(dir.resolve("ext.img")));
    assertThat(sfdisk.listing()).containsExactlyElementsOf(Sfdisk.expected(b.expectedPartitions()));
  }

  /**
   * libfdisk takes only the first data entry of each EBR (the corpus README documents this for
   * DFTT's image): its listing is the builder's minus the second entry, renumbered.
   */
  @Test
  void ebrWithTwoDataEntriesAsLibfdiskSeesIt() throws Exception {
    DiskImageBuilder b = twoDataEntryEbr();
    Sfdisk sfdisk = Sfdisk.read(b.writeTo(dir.resolve("two.img")));
    List<ExpectedPartition> firstEntriesOnly = new ArrayList<>();
    for (ExpectedPartition p : b.expectedPartitions()) {
      if (p.number() == 6) continue;
      firstEntriesOnly.add(p.number() == 7 ? renumber(p, 6) : p);
    }
    assertThat(sfdisk.listing()).containsExactlyElementsOf(Sfdisk.expected(firstEntriesOnly));
    assertThat(sfdisk.stderr).contains("Ignoring extra data in partition table 5");
  }

  @Test
  void gptWith128EntriesAndUnicodeNames() throws Exception {
    DiskImageBuilder b = unicodeGpt();
    Sfdisk sfdisk = Sfdisk.read(b.writeTo(dir.resolve("gpt.img")));
    assertThat(sfdisk.label()).isEqualTo("gpt");
    assertThat(sfdisk.id()).isEqualTo(b.layout().diskId());
    assertThat(sfdisk.table.path("firstlba").asLong()).isEqualTo(34);
    assertThat(sfdisk.table.path("lastlba").asLong()).isEqualTo((256L << 20) / 512 - 34);
    assertThat(sfdisk.listing()).containsExactlyElementsOf(Sfdisk.expected(b.expectedPartitions()));
    assertThat(sfdisk.stderr).isEmpty();
  }

  @Test
  void gptWithArrayAtLba1024Of256EntriesOf256Bytes() throws Exception {
    DiskImageBuilder b =
        new DiskImageBuilder()
            .sizeBytes(64L << 20)
            .gpt()
            .entriesLba(1024)
            .entryCount(256)
            .entrySize(256)
            .gptPartition(1, 2048, 4095, "first")
            .gptPartition(200, 4096, 8191, "entry 200");
    Sfdisk sfdisk = Sfdisk.read(b.writeTo(dir.resolve("custom.img")));
    assertThat(sfdisk.table.path("firstlba").asLong()).isEqualTo(1024 + 128);
    assertThat(sfdisk.listing()).containsExactlyElementsOf(Sfdisk.expected(b.expectedPartitions()));
    assertThat(sfdisk.stderr).isEmpty();
  }

  @Test
  void hybridMbrWithTheProtectiveEntryInSlot4() throws Exception {
    DiskImageBuilder b =
        unicodeGpt().protectiveMbr(4, 1, 2047).primary(1, 0x0c, 2048, 2048).bootable(1);
    Sfdisk sfdisk = Sfdisk.read(b.writeTo(dir.resolve("hybrid.img")));
    assertThat(sfdisk.label()).isEqualTo("gpt");
    assertThat(sfdisk.listing()).containsExactlyElementsOf(Sfdisk.expected(b.expectedPartitions()));
  }

  @Test
  void corruptionsAreNoticedWhereTheyWereMade() throws Exception {
    DiskImageBuilder b = unicodeGpt();
    List<String> expected = Sfdisk.expected(b.expectedPartitions());

    Path header = b.writeTo(dir.resolve("header.img"));
    Corruptor.of(header, b.layout()).breakPrimaryHeaderCrc();
    Sfdisk fromBackup = Sfdisk.read(header);
    assertThat(fromBackup.stderr)
        .contains("primary GPT table is corrupt, but the backup appears OK");
    assertThat(fromBackup.listing()).containsExactlyElementsOf(expected);

    Path array = b.writeTo(dir.resolve("array.img"));
    Corruptor.of(array, b.layout()).breakEntryArrayCrc();
    assertThat(Sfdisk.read(array).stderr).contains("primary GPT table is corrupt");

    Path noBackup = b.withoutBackupGpt().writeTo(dir.resolve("nobackup.img"));
    Sfdisk primaryOnly = Sfdisk.read(noBackup);
    assertThat(primaryOnly.stderr)
        .contains("backup GPT table is corrupt, but the primary appears OK");
    assertThat(primaryOnly.listing()).containsExactlyElementsOf(expected);
  }

  static DiskImageBuilder twoDataEntryEbr() {
    return new DiskImageBuilder()
        .sizeBytes(64L << 20)
        .primary(1, 0x04, 63, 10_000)
        .extended(4, 0x05, 20_000, 100_000)
        .ebr(
            Ebr.at(20_000)
                .logical(0x04, 20_063, 10_000)
                .logical(0x04, 30_063, 10_000)
                .linkInSlot(3))
        .logical(0x06, 60_000, 60_063, 20_000);
  }

  static DiskImageBuilder unicodeGpt() {
    return new DiskImageBuilder()
        .sizeBytes(256L << 20)
        .gpt()
        .gptPartition(
            GptPartition.of(1, 2048, 206_847)
                .withType(GptPartition.EFI_SYSTEM)
                .withName("EFI système"))
        .gptPartition(3, 206_848, 206_848, "一")
        .gptPartition(
            GptPartition.of(4, 300_000, 400_000)
                .withType(GptPartition.LINUX_SWAP)
                .withAttributes(1L << 63)
                .withName("Ελληνικά swap"))
        .gptPartition(128, 450_100, 524_254, "💾 last entry, 36 code units long!!!")
        .gptPartition(5, 450_000, 450_099, "日本語");
  }

  private static ExpectedPartition renumber(ExpectedPartition p, int number) {
    return new ExpectedPartition(
        number,
        p.kind(),
        p.firstLba(),
        p.sectors(),
        p.start(),
        p.size(),
        p.type(),
        p.label(),
        p.uuid(),
        p.bootable(),
        p.attributes());
  }
}
