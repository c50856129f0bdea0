package dev.partview.testimages;

import static dev.partview.testimages.Bytes.allZero;
import static dev.partview.testimages.Bytes.hex;
import static dev.partview.testimages.Bytes.slice;
import static dev.partview.testimages.Bytes.u32;
import static dev.partview.testimages.Bytes.u8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partview.testimages.DiskLayout.EbrLayout;
import dev.partview.testimages.ExpectedPartition.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MBR and EBR bytes, checked against hand-derived values (not against any parser). */
class MbrImageTest {

  /** NTFS at LBA 63 (bootable), slot 2 empty, Linux in 3, extended in 4 with three logicals. */
  static DiskImageBuilder legacy() {
    return new DiskImageBuilder()
        .sizeBytes(64L << 20)
        .diskSignature(0x8a8ffef4L)
        .primary(1, 0x07, 63, 20_000)
        .bootable(1)
        .primary(3, 0x83, 20_063, 10_000)
        .extended(4, 0x05, 30_063, 90_000)
        .logical(0x83, 30_063, 30_126, 10_000)
        .logical(0x82, 40_126, 40_189, 5_000)
        .logical(0x0c, 60_000, 60_063, 20_000);
  }

  @Test
  void legacyFirstPartitionAtLba63HasTheHandDerivedEntry() {
    byte[] image = legacy().toBytes();
    // boot 80, CHS 0/1/1, type 07, CHS of LBA 20062 = cyl 1 head 63 sector 29, start 63, size 20000
    assertThat(slice(image, 446, 16)).isEqualTo(hex("80 01 01 00 07 3f 1d 01 3f000000 204e0000"));
    assertThat(u32(image, 440)).isEqualTo(0x8a8ffef4L);
    assertThat(slice(image, 510, 2)).isEqualTo(hex("55 aa"));
    assertThat(allZero(image, DiskLayout.mbrEntryOffset(2), 16)).as("empty slot 2").isTrue();
  }

  @Test
  void ebrDataIsRelativeToTheEbrAndLinksToTheExtendedStart() {
    DiskImageBuilder b = legacy();
    byte[] image = b.toBytes();
    List<EbrLayout> ebrs = b.layout().ebrs();
    assertThat(ebrs).extracting(EbrLayout::lba).containsExactly(30_063L, 40_126L, 60_000L);

    long first = b.ebrOffset(0);
    assertThat(u8(image, first + 446 + 4)).isEqualTo(0x83);
    assertThat(u32(image, first + 446 + 8)).as("data start relative to EBR").isEqualTo(63);
    assertThat(u32(image, first + 446 + 12)).isEqualTo(10_000);
    assertThat(u8(image, first + 462 + 4)).as("link type").isEqualTo(0x05);
    assertThat(u32(image, first + 462 + 8)).as("link relative to extended start").isEqualTo(10_063);
    assertThat(u32(image, first + 462 + 12)).as("link covers next EBR + data").isEqualTo(5_063);
    assertThat(slice(image, first + 510, 2)).isEqualTo(hex("55 aa"));

    long second = b.ebrOffset(1);
    assertThat(u32(image, second + 462 + 8)).isEqualTo(60_000 - 30_063);
    long last = b.ebrOffset(2);
    assertThat(allZero(image, last + 462, 48)).as("last EBR: no link").isTrue();
    assertThat(u32(image, last + 440)).as("EBRs carry no disk signature").isZero();
  }

  @Test
  void expectedPartitionsUseLinuxNumbering() {
    List<ExpectedPartition> parts = legacy().expectedPartitions();
    assertThat(parts).extracting(ExpectedPartition::number).containsExactly(1, 3, 4, 5, 6, 7);
    assertThat(parts)
        .extracting(ExpectedPartition::kind)
        .containsExactly(
            Kind.PRIMARY, Kind.PRIMARY, Kind.EXTENDED, Kind.LOGICAL, Kind.LOGICAL, Kind.LOGICAL);
    ExpectedPartition p1 = parts.get(0);
    assertThat(p1.start()).isEqualTo(32_256);
    assertThat(p1.size()).isEqualTo(20_000L * 512);
    assertThat(p1.type()).isEqualTo("0x07");
    assertThat(p1.bootable()).isTrue();
    assertThat(parts.get(2).size()).as("extended: size as stored").isEqualTo(90_000L * 512);
    assertThat(parts.get(4).start()).isEqualTo(40_189L * 512);
    assertThat(legacy().layout().diskId()).isEqualTo("0x8a8ffef4");
  }

  @Test
  void ebrWithTwoDataEntriesAndTheLinkInSlot3() {
    DiskImageBuilder b =
        new DiskImageBuilder()
            .extended(1, 0x0F, 2048, 20_000)
            .ebr(Ebr.at(2048).logical(0x83, 2049, 1000).logical(0x07, 3049, 1000).linkInSlot(3))
            .logical(0x83, 8192, 8193, 500);
    byte[] image = b.toBytes();
    long ebr = b.ebrOffset(0);
    assertThat(u32(image, ebr + 446 + 8)).isEqualTo(1);
    assertThat(u32(image, ebr + 462 + 8)).isEqualTo(1001);
    assertThat(u8(image, ebr + 478 + 4)).isEqualTo(0x05);
    assertThat(u32(image, ebr + 478 + 8)).isEqualTo(8192 - 2048);
    assertThat(allZero(image, ebr + 494, 16)).isTrue();
    assertThat(b.layout().ebr(0).dataSlots()).containsExactly(1, 2);
    assertThat(b.expectedPartitions())
        .extracting(ExpectedPartition::number, ExpectedPartition::type, ExpectedPartition::firstLba)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "0x0f", 2048L),
            org.assertj.core.groups.Tuple.tuple(5, "0x83", 2049L),
            org.assertj.core.groups.Tuple.tuple(6, "0x07", 3049L),
            org.assertj.core.groups.Tuple.tuple(7, "0x83", 8193L));
  }

  @Test
  void sectorSizeScalesEveryOffset() {
    DiskImageBuilder b =
        new DiskImageBuilder()
            .sectorSize(4096)
            .sizeBytes(64L << 20)
            .extended(2, 0x85, 256, 4000)
            .logical(0x83, 256, 257, 100)
            .logical(0x83, 1000, 1001, 100);
    assertThat(b.ebrOffset(1)).isEqualTo(1000L * 4096);
    assertThat(b.expectedPartitions().get(2).start()).isEqualTo(1001L * 4096);
    byte[] image = b.toBytes();
    assertThat(slice(image, 1000L * 4096 + 510, 2)).isEqualTo(hex("55 aa"));
    assertThat(u32(image, 256L * 4096 + 462 + 8)).isEqualTo(1000 - 256);
  }

  @Test
  void refusesWhatCannotBeEncoded() {
    assertThatThrownBy(() -> new DiskImageBuilder().primary(1, 0x05, 63, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("extended(");
    assertThatThrownBy(() -> Ebr.at(100).logical(0x0F, 101, 10))
        .hasMessageContaining("would be read as a link");
    assertThatThrownBy(
            () ->
                new DiskImageBuilder()
                    .extended(1, 0x05, 100, 1000)
                    .logical(0x83, 200, 201, 10)
                    .toBytes())
        .hasMessageContaining("first EBR must sit at the extended start LBA 100");
    assertThatThrownBy(() -> new DiskImageBuilder().primary(1, 0x83, 1L << 32, 1))
        .hasMessageContaining("does not fit 32 bits");
    assertThatThrownBy(
            () -> new DiskImageBuilder().primary(1, 0x83, 63, 1).primary(1, 0x83, 100, 1))
        .hasMessageContaining("slot 1 is already used");
  }
}
