package dev.partview.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.table.io.ByteArraySource;
import dev.partview.testimages.DiskImageBuilder;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sector-size rule for MBR-only images (see {@link SectorSizeProbe} and the README). */
class SectorSizeProbeTest {

  @TempDir Path dir;

  /** Written as a sparse file: some of these images are 1 GiB. */
  private SectorSize detect(DiskImageBuilder b) throws IOException {
    return Tools.read(b.writeTo(dir.resolve("probe-" + System.nanoTime() + ".img"))).sectorSize();
  }

  @Test
  void a4knTableFillingTheDiskIs4096() throws IOException {
    // What sfdisk writes on a 4Kn device: 1 MiB = 256 sectors, the last partition to the end.
    SectorSize s =
        detect(
            new DiskImageBuilder()
                .sectorSize(4096)
                .sizeBytes(64L << 20)
                .primary(1, 0x0C, 256, 5120)
                .primary(2, 0x83, 5376, 16384 - 5376));
    assertThat(s.bytes()).isEqualTo(4096);
    assertThat(s.source()).contains("1 MiB-aligned only at 4096");
  }

  @Test
  void a4knExtendedPartitionIsRecognisedByItsFirstEbr() throws IOException {
    SectorSize s =
        detect(
            new DiskImageBuilder()
                .sectorSize(4096)
                .sizeBytes(64L << 20)
                .extended(1, 0x05, 256, 1024)
                .logical(0x83, 256, 512, 256));
    assertThat(s).isEqualTo(new SectorSize(4096, "first EBR signature found at 4096-byte sectors"));
  }

  @Test
  void a512TableUsingLittleOfItsImageStays512() throws IOException {
    // One 100 MiB partition in a 1 GiB image: at 4096 it would "fill" 800 MiB, but its start
    // (2048) is 1 MiB-aligned at 512 bytes, so nothing speaks for 4096.
    SectorSize s =
        detect(new DiskImageBuilder().sizeBytes(1L << 30).primary(1, 0x83, 2048, 204800));
    assertThat(s.bytes()).isEqualTo(512);
  }

  @Test
  void aLegacyTableAtSector63Stays512() throws IOException {
    SectorSize s = detect(new DiskImageBuilder().sizeBytes(1L << 30).primary(1, 0x07, 63, 200_000));
    assertThat(s.bytes()).isEqualTo(512);
  }

  @Test
  void aTruncatedDumpStays512() throws IOException {
    SectorSize s =
        detect(
            new DiskImageBuilder()
                .sizeBytes(64L << 20)
                .truncatedTo(512)
                .primary(1, 0x83, 256, 100_000));
    assertThat(s.bytes()).isEqualTo(512);
  }

  @Test
  void theOptionWins() throws IOException {
    DiskImageBuilder b =
        new DiskImageBuilder().sectorSize(4096).sizeBytes(64L << 20).primary(1, 0x83, 256, 16128);
    PartitionTable t =
        PartitionTableReader.read(
            new ByteArraySource(b.toBytes()), ReadOptions.defaults().withSectorSize(512));
    assertThat(t.sectorSize()).isEqualTo(new SectorSize(512, "option"));
    assertThat(t.partitions().get(0).start()).isEqualTo(256 * 512);
  }
}
