package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partview.fuse.loop.LoopSpec;
import dev.partview.fuse.loop.PartitionRange;
import dev.partview.table.GptTable;
import dev.partview.table.MbrTable;
import dev.partview.table.Partition;
import dev.partview.table.PartitionKind;
import dev.partview.table.PartitionTable;
import dev.partview.table.PartitionType;
import dev.partview.table.SectorSize;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which ranges attach picks, without root: the rule, PART names, the extended container, EOF. */
class AttachPlanTest {
  static final Path IMG = Path.of("/images/disk.img");
  static final long SIZE = 64L << 20;

  static Partition mbr(int n, PartitionKind kind, long lba, long sectors, int code) {
    return ListingTest.part(
        n, kind, lba, sectors, new PartitionType.Mbr(code), false, new SectorSize(512, "default"));
  }

  static final MbrTable LEGACY =
      new MbrTable(
          0x1234,
          new SectorSize(512, "default"),
          SIZE,
          List.of(
              mbr(1, PartitionKind.PRIMARY, 63, 40000, 0x83),
              mbr(2, PartitionKind.EXTENDED, 40063, 80000, 0x05),
              mbr(5, PartitionKind.LOGICAL, 40126, 20000, 0x83),
              mbr(6, PartitionKind.LOGICAL, 60189, 30000, 0x83)),
          List.of());

  @Test
  void withoutPartEveryDataPartitionButNeverTheExtendedContainer() throws CliException {
    AttachPlan plan = AttachPlan.partitions(IMG, SIZE, LEGACY, List.of());
    assertThat(plan.targets())
        .containsExactly(
            new AttachPlan.Target(1, "p1", 32256, 40000 * 512L, 40000 * 512L),
            new AttachPlan.Target(5, "p5", 40126 * 512L, 20000 * 512L, 20000 * 512L),
            new AttachPlan.Target(6, "p6", 60189 * 512L, 30000 * 512L, 30000 * 512L));
    assertThat(plan.warnings()).isEmpty();
    assertThat(plan.table()).contains(LEGACY);
  }

  @Test
  void partsPickInTheGivenOrderOnceEach() throws CliException {
    AttachPlan plan = AttachPlan.partitions(IMG, SIZE, LEGACY, List.of("6", "p1", "p6"));
    assertThat(plan.targets()).extracting(AttachPlan.Target::label).containsExactly("p6", "p1");
  }

  @Test
  void theExtendedContainerOrAnUnknownPartIsAUsageError() {
    assertThatThrownBy(() -> AttachPlan.partitions(IMG, SIZE, LEGACY, List.of("p2")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("p2 is the extended container")
        .extracting(e -> ((CliException) e).exitCode())
        .isEqualTo(ExitCodes.USAGE);
    assertThatThrownBy(() -> AttachPlan.partitions(IMG, SIZE, LEGACY, List.of("p9")))
        .hasMessageContaining("no partition p9 (the image has: p1, p2, p5, p6)");
    assertThatThrownBy(() -> AttachPlan.partitions(IMG, SIZE, LEGACY, List.of("x1")))
        .hasMessageContaining("not a partition: 'x1'");
  }

  @Test
  void gptLabelsAndUuidsSelect() throws CliException {
    UUID u = UUID.fromString("0fc63daf-8483-4772-8e79-3d69d8477de4");
    UUID t = UUID.fromString("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7");
    Partition root =
        new Partition(
            2,
            PartitionKind.GPT,
            2048,
            2048,
            1 << 20,
            1 << 20,
            new PartitionType.Gpt(t),
            "rootfs",
            u,
            false,
            0);
    PartitionTable gpt =
        new GptTable(
            UUID.randomUUID(),
            new SectorSize(512, "gpt"),
            SIZE,
            List.of(root),
            List.of(),
            false,
            false,
            34,
            100000);
    assertThat(AttachPlan.partitions(IMG, SIZE, gpt, List.of("label:rootfs")).targets())
        .extracting(AttachPlan.Target::label)
        .containsExactly("p2");
    assertThat(
            AttachPlan.partitions(IMG, SIZE, gpt, List.of("uuid:" + u.toString().toUpperCase()))
                .targets())
        .hasSize(1);
  }

  @Test
  void partitionsPastTheEndAreWarnedAboutOrRefusedWhenNamed() throws CliException {
    long size = 40126 * 512L + 512 * 1000; // p5 is cut short, p6 starts past the end
    AttachPlan plan = AttachPlan.partitions(IMG, size, LEGACY, List.of());
    assertThat(plan.targets()).extracting(AttachPlan.Target::label).containsExactly("p1", "p5");
    assertThat(plan.targets().get(1).length()).isEqualTo(512 * 1000);
    assertThat(plan.targets().get(1).sizeLimit()).isEqualTo(20000 * 512L);
    assertThat(plan.warnings())
        .anyMatch(w -> w.startsWith("p5 (bytes 20544512..") && w.contains("only 512000 bytes"))
        .anyMatch(w -> w.startsWith("p6 starts at byte") && w.endsWith("not attached"));
    assertThatThrownBy(() -> AttachPlan.partitions(IMG, size, LEGACY, List.of("p6")))
        .extracting(e -> ((CliException) e).exitCode())
        .isEqualTo(ExitCodes.BAD_TABLE);
  }

  /** The kernel sizes a loop in whole 512-byte sectors: the warning says what the device has. */
  @Test
  void aCutPartitionsWarningGivesTheDevicesSizeInWholeSectors() throws CliException {
    long size = 40126 * 512L + 524988; // p5 keeps 524988 bytes of the file: 1025 sectors and 188
    AttachPlan plan = AttachPlan.partitions(IMG, size, LEGACY, List.of("p5"));
    assertThat(plan.targets().get(0).length()).isEqualTo(524800);
    assertThat(plan.warnings())
        .containsExactly(
            "p5 (bytes 20544512..30784511) ends "
                + (20000 * 512L - 524988)
                + " bytes past the end of the image ("
                + size
                + " bytes): its device has only 524800 bytes");
  }

  @Test
  void aPartitionWithLessThanASectorInTheFileIsNotAttached() throws CliException {
    long size = 40126 * 512L + 100;
    AttachPlan plan = AttachPlan.partitions(IMG, size, LEGACY, List.of());
    assertThat(plan.targets()).extracting(AttachPlan.Target::label).containsExactly("p1");
    assertThat(plan.warnings())
        .contains(
            "p5 starts at byte "
                + 40126 * 512L
                + ", less than a sector before the end of the image ("
                + size
                + " bytes): not attached");
    assertThatThrownBy(() -> AttachPlan.partitions(IMG, size, LEGACY, List.of("p5")))
        .extracting(e -> ((CliException) e).exitCode())
        .isEqualTo(ExitCodes.BAD_TABLE);
  }

  /** A truncated image (the first sectors of a disk): exit 3, as naming one of them would be. */
  @Test
  void everyPartitionPastTheEndIsExit3SayingHowMany() {
    long size = 32256; // p1 starts right at the end
    assertThatThrownBy(() -> AttachPlan.partitions(IMG, size, LEGACY, List.of()))
        .hasMessage(
            IMG
                + ": all 3 data partitions lie past the end of the image (32256 bytes): nothing"
                + " to attach (use --whole for the whole file)")
        .extracting(e -> ((CliException) e).exitCode())
        .isEqualTo(ExitCodes.BAD_TABLE);
    MbrTable one =
        new MbrTable(
            1,
            new SectorSize(512, "default"),
            SIZE,
            List.of(mbr(1, PartitionKind.PRIMARY, 2048, 1000, 0x83)),
            List.of());
    assertThatThrownBy(() -> AttachPlan.partitions(IMG, size, one, List.of()))
        .hasMessageContaining(": its one data partition lies past the end of the image")
        .extracting(e -> ((CliException) e).exitCode())
        .isEqualTo(ExitCodes.BAD_TABLE);
  }

  @Test
  void aTableWithNoDataPartitionSaysToUseWhole() {
    MbrTable onlyExtended =
        new MbrTable(
            1,
            new SectorSize(512, "default"),
            SIZE,
            List.of(mbr(1, PartitionKind.EXTENDED, 2048, 1000, 0x05)),
            List.of());
    assertThatThrownBy(() -> AttachPlan.partitions(IMG, SIZE, onlyExtended, List.of()))
        .hasMessageContaining("no data partition")
        .hasMessageContaining("--whole");
  }

  @Test
  void wholeFileIsNamedAfterTheFileWithNoLimit() {
    AttachPlan plan = AttachPlan.whole(IMG, SIZE);
    assertThat(plan.targets()).containsExactly(new AttachPlan.Target(0, "disk.img", 0, 0, SIZE));
    LoopSpec spec = plan.targets().get(0).spec(IMG, true, false);
    assertThat(spec.name()).isEqualTo("/images/disk.img");
    assertThat(spec.sizeLimit()).isZero();
    assertThat(spec.readOnly()).isTrue();
  }

  @Test
  void partitionSpecsAreNamedImageColonPartition() throws CliException {
    LoopSpec spec =
        AttachPlan.partitions(IMG, SIZE, LEGACY, List.of("p5"))
            .targets()
            .get(0)
            .spec(IMG, false, true);
    assertThat(spec.name()).isEqualTo("/images/disk.img:p5");
    assertThat(spec.offset()).isEqualTo(40126 * 512L);
    assertThat(spec.readOnly()).isFalse();
    assertThat(spec.directIo()).isTrue();
  }

  @Test
  void partscanRangesAreTheTargetsCutToWholeSectors() throws CliException {
    long size = 40126 * 512L + 1000; // p5 keeps 1000 bytes: one whole sector
    AttachPlan plan = AttachPlan.partScan(IMG, size, LEGACY, List.of());
    assertThat(plan.partitionRanges())
        .containsExactly(
            new PartitionRange(1, 32256, 40000 * 512L), new PartitionRange(5, 40126 * 512L, 512));
  }

  /**
   * The QA image: p2 is p1 again, p3 starts inside p1. Separate devices take them all; one device
   * with BLKPG partitions takes p1 and warns about the others (the kernel answers EBUSY).
   */
  @Test
  void partscanLeavesOutPartitionsOverlappingAnEarlierOne() throws CliException {
    MbrTable overlapping =
        new MbrTable(
            1,
            new SectorSize(512, "default"),
            4 << 20,
            List.of(
                mbr(1, PartitionKind.PRIMARY, 2048, 2048, 0x83),
                mbr(2, PartitionKind.PRIMARY, 2048, 2048, 0x83),
                mbr(3, PartitionKind.PRIMARY, 3072, 2048, 0x83),
                mbr(4, PartitionKind.PRIMARY, 4096, 2048, 0x83)),
            List.of());
    assertThat(AttachPlan.partitions(IMG, 4 << 20, overlapping, List.of()).targets()).hasSize(4);
    AttachPlan plan = AttachPlan.partScan(IMG, 4 << 20, overlapping, List.of());
    assertThat(plan.partitionRanges())
        .as("p4 overlaps only p3, which is left out")
        .containsExactly(
            new PartitionRange(1, 1 << 20, 1 << 20), new PartitionRange(4, 2 << 20, 1 << 20));
    String hint =
        ": not attached (one device cannot hold overlapping partitions; attach it without"
            + " --partscan)";
    assertThat(plan.warnings()).containsExactly("p2 overlaps p1" + hint, "p3 overlaps p1" + hint);
    assertThatThrownBy(() -> AttachPlan.partScan(IMG, 4 << 20, overlapping, List.of("1", "2")))
        .as("a PART named on the command line is not dropped with a warning")
        .isInstanceOf(CliException.class)
        .hasMessageContaining("p2 overlaps p1")
        .extracting(e -> ((CliException) e).exitCode())
        .isEqualTo(ExitCodes.USAGE);
  }

  /**
   * A 4096-byte-sector GPT cut 1000 bytes into a sector: separate loops keep whole 512-byte
   * sectors, BLKPG partitions on a device with 4096-byte blocks (the table's) keep whole 4096 ones.
   */
  @Test
  void partscanUsesTheTablesSectorSizeForTheDeviceAndTheCut() throws CliException {
    Partition p1 =
        new Partition(
            1,
            PartitionKind.GPT,
            256,
            1024,
            1 << 20,
            4 << 20,
            new PartitionType.Gpt(UUID.fromString("0fc63daf-8483-4772-8e79-3d69d8477de4")),
            "data",
            UUID.randomUUID(),
            false,
            0);
    PartitionTable gpt4k =
        new GptTable(
            UUID.randomUUID(),
            new SectorSize(4096, "gpt"),
            SIZE,
            List.of(p1),
            List.of(),
            false,
            false,
            6,
            16000);
    long size = (2 << 20) + 1000;
    AttachPlan loops = AttachPlan.partitions(IMG, size, gpt4k, List.of());
    assertThat(loops.targets().get(0).length()).isEqualTo((1 << 20) + 512);
    AttachPlan scan = AttachPlan.partScan(IMG, size, gpt4k, List.of());
    assertThat(scan.blockSize()).isEqualTo(4096);
    assertThat(scan.partitionRanges()).containsExactly(new PartitionRange(1, 1 << 20, 1 << 20));
    assertThat(scan.warnings())
        .singleElement()
        .asString()
        .endsWith("its device has only 1048576 bytes");
    assertThat(AttachPlan.partScan(IMG, SIZE, LEGACY, List.of()).blockSize()).isEqualTo(512);
    assertThat(AttachPlan.whole(IMG, SIZE).blockSize()).as("the kernel's default").isZero();
  }
}
