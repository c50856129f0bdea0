package dev.partview.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.table.io.ByteArraySource;
import dev.partview.testimages.DiskImageBuilder;
import dev.partview.testimages.Ebr;
import dev.partview.testimages.ExpectedPartition;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** MBR tables built by the independent writer must read back exactly as the writer describes. */
class MbrLayoutTest {

  private static MbrTable read(DiskImageBuilder b) throws IOException {
    return (MbrTable)
        PartitionTableReader.read(new ByteArraySource(b.toBytes()), ReadOptions.defaults());
  }

  private static List<String> lines(List<Partition> ps) {
    return ps.stream()
        .map(
            p ->
                line(
                    p.number(),
                    p.kind().name(),
                    p.firstLba(),
                    p.sectors(),
                    p.type().id(),
                    p.bootable()))
        .toList();
  }

  private static List<String> expected(DiskImageBuilder b) {
    return b.expectedPartitions().stream()
        .map(
            p ->
                line(
                    p.number(), p.kind().name(), p.firstLba(), p.sectors(), p.type(), p.bootable()))
        .toList();
  }

  /** One partition as both sides are compared: {@code p5 logical lba=30126+10000 type=0x83 …}. */
  private static String line(
      int number, String kind, long firstLba, long sectors, String type, boolean bootable) {
    return String.format(
        Locale.ROOT,
        "p%d %s lba=%d+%d type=%s boot=%s",
        number,
        kind.toLowerCase(Locale.ROOT),
        firstLba,
        sectors,
        type,
        bootable);
  }

  @Test
  void legacyLayoutAtSector63ComesOutExactly() throws IOException {
    DiskImageBuilder b =
        new DiskImageBuilder()
            .sizeBytes(64L << 20)
            .diskSignature(0xdeadbeefL)
            .primary(1, 0x07, 63, 20_000)
            .bootable(1)
            .extended(3, 0x0F, 20_063, 80_000)
            .logical(0x83, 20_063, 20_126, 10_000)
            .logical(0x82, 30_126, 30_189, 5_000);
    MbrTable t = read(b);
    assertThat(lines(t.partitions())).isEqualTo(expected(b));
    Partition p1 = t.partition(1).orElseThrow();
    assertThat(p1.start()).isEqualTo(32256);
    assertThat(p1.bootable()).isTrue();
    assertThat(t.partition(2)).as("empty slot 2 keeps its number free").isEmpty();
    assertThat(t.partition(3).orElseThrow().kind()).isEqualTo(PartitionKind.EXTENDED);
    assertThat(t.partition(5).orElseThrow().start()).isEqualTo(20_126L * 512);
    assertThat(t.partition(6).orElseThrow().type().id()).isEqualTo("0x82");
    assertThat(t.diskId()).isEqualTo("0xdeadbeef");
    assertThat(t.sectorSize())
        .isEqualTo(new SectorSize(512, "first EBR signature found at 512-byte sectors"));
    assertThat(t.diagnostics()).isEmpty();
    assertThat(t.dataPartitions()).extracting(Partition::number).containsExactly(1, 5, 6);
  }

  @Test
  void everyDataEntryOfAnEbrIsALogicalInChainOrder() throws IOException {
    // DFTT-style: two data entries and the link in slot 3, then an ordinary EBR.
    DiskImageBuilder b =
        new DiskImageBuilder()
            .sizeBytes(16L << 20)
            .extended(1, 0x05, 2048, 20_000)
            .ebr(Ebr.at(2048).logical(0x83, 2049, 100).logical(0x0C, 2149, 100).linkInSlot(3))
            .logical(0x8E, 4096, 4097, 500);
    MbrTable t = read(b);
    assertThat(lines(t.partitions())).isEqualTo(expected(b));
    assertThat(t.partitions()).extracting(Partition::number).containsExactly(1, 5, 6, 7);
    assertThat(b.expectedPartitions())
        .extracting(ExpectedPartition::number)
        .containsExactly(1, 5, 6, 7);
  }

  @Test
  void a4knChainReadsInFourKilobyteSectors() throws IOException {
    DiskImageBuilder b =
        new DiskImageBuilder()
            .sectorSize(4096)
            .sizeBytes(64L << 20)
            .primary(1, 0xEF, 256, 256)
            .extended(2, 0x85, 512, 15_000)
            .logical(0x83, 512, 768, 1000)
            .logical(0x83, 2048, 2304, 1000);
    MbrTable t = read(b);
    assertThat(t.sectorSize().bytes()).isEqualTo(4096);
    assertThat(lines(t.partitions())).isEqualTo(expected(b));
    assertThat(t.partition(6).orElseThrow().start()).isEqualTo(2304L * 4096);
  }
}
