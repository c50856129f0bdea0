package dev.partview.testimages;

import static dev.partview.testimages.Bytes.allZero;
import static dev.partview.testimages.Bytes.hex;
import static dev.partview.testimages.Bytes.slice;
import static dev.partview.testimages.Bytes.u32;
import static dev.partview.testimages.Bytes.u64;
import static dev.partview.testimages.Bytes.u8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partview.testimages.DiskLayout.GptLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GPT bytes: header fields, CRCs recomputed here, mixed-endian GUIDs, backup placement. */
class GptImageTest {
  private static final UUID DISK = UUID.fromString("11223344-5566-7788-99aa-bbccddeeff00");

  static DiskImageBuilder disk(int sectorSize) {
    return new DiskImageBuilder()
        .sectorSize(sectorSize)
        .sizeBytes(32L << 20)
        .gpt()
        .diskGuid(DISK)
        .gptPartition(1, 64, 127, "EFI")
        .gptPartition(
            GptPartition.of(4, 200, 299)
                .withType(GptPartition.MICROSOFT_BASIC_DATA)
                .withUuid(UUID.fromString("01020304-0506-0708-090a-0b0c0d0e0f10"))
                .withAttributes(GptPartition.LEGACY_BIOS_BOOTABLE | (1L << 63))
                .withName("données"));
  }

  @Test
  void guidsAreStoredMixedEndian() {
    DiskImageBuilder b = disk(512);
    byte[] image = b.toBytes();
    long e1 = b.gptEntryOffset(1);
    assertThat(slice(image, e1, 16)).isEqualTo(hex("af3dc60f 8384 7247 8e79 3d69d8477de4"));
    long e4 = b.gptEntryOffset(4);
    assertThat(slice(image, e4 + 16, 16)).isEqualTo(hex("04030201 0605 0807 090a 0b0c0d0e0f10"));
    assertThat(slice(image, b.primaryHeaderOffset() + 56, 16))
        .isEqualTo(hex("44332211 6655 8877 99aa bbccddeeff00"));
  }

  @ParameterizedTest
  @ValueSource(ints = {512, 1024, 2048, 4096})
  void headersAndArraysSitWhereUefiSays(int s) {
    DiskImageBuilder b = disk(s);
    byte[] image = b.toBytes();
    long lastLba = (32L << 20) / s - 1;
    long arraySectors = 16384 / s;
    long header = b.primaryHeaderOffset();
    assertThat(header).isEqualTo(s);
    assertThat(new String(image, (int) header, 8, StandardCharsets.US_ASCII)).isEqualTo("EFI PART");
    assertThat(u32(image, header + 8)).isEqualTo(0x0001_0000);
    assertThat(u32(image, header + 12)).isEqualTo(92);
    assertThat(u64(image, header + 24)).as("my LBA").isEqualTo(1);
    assertThat(u64(image, header + 32)).as("alternate LBA").isEqualTo(lastLba);
    assertThat(u64(image, header + 40)).as("first usable").isEqualTo(2 + arraySectors);
    assertThat(u64(image, header + 48)).as("last usable").isEqualTo(lastLba - arraySectors - 1);
    assertThat(u64(image, header + 72)).as("entries LBA").isEqualTo(2);
    assertThat(u32(image, header + 80)).isEqualTo(128);
    assertThat(u32(image, header + 84)).isEqualTo(128);
    assertThat(u32(image, header + 16)).isEqualTo(headerCrc(image, header));
    assertThat(u32(image, header + 88)).isEqualTo(crc(image, 2L * s, 16384));

    long backup = b.backupHeaderOffset();
    assertThat(backup).isEqualTo(lastLba * s);
    assertThat(u64(image, backup + 24)).isEqualTo(lastLba);
    assertThat(u64(image, backup + 32)).isEqualTo(1);
    assertThat(u64(image, backup + 72)).isEqualTo(lastLba - arraySectors);
    assertThat(u32(image, backup + 16)).isEqualTo(headerCrc(image, backup));
    assertThat(slice(image, b.backupEntryArrayOffset(), 16384))
        .isEqualTo(slice(image, b.entryArrayOffset(), 16384));
    assertThat(allZero(image, header + 92, s - 92)).isTrue();
  }

  @Test
  void protectiveMbrCoversTheDiskFromLba1() {
    byte[] image = disk(512).toBytes();
    long sectors = (32L << 20) / 512 - 1;
    // CHS of LBA 1 = 0/0/2; of the last LBA 65535 = cylinder 4, head 20, sector 16
    assertThat(slice(image, 446, 8)).isEqualTo(hex("00 000200 ee 141004"));
    assertThat(u32(image, 446 + 8)).isEqualTo(1);
    assertThat(u32(image, 446 + 12)).isEqualTo(sectors);
    assertThat(allZero(image, 462, 48)).isTrue();
    assertThat(slice(image, 510, 2)).isEqualTo(hex("55 aa"));
  }

  @Test
  void hybridEntriesAndAMovedProtectiveEntryAreNotPartitions() {
    DiskImageBuilder b = disk(512).protectiveMbr(4, 1, 63).primary(2, 0x0c, 64, 64).bootable(2);
    byte[] image = b.toBytes();
    assertThat(allZero(image, 446, 16)).isTrue();
    assertThat(u8(image, 446 + 16)).isEqualTo(0x80);
    assertThat(u8(image, 446 + 16 + 4)).isEqualTo(0x0c);
    assertThat(u8(image, 446 + 48 + 4)).isEqualTo(0xee);
    assertThat(u32(image, 446 + 48 + 12)).isEqualTo(63);
    assertThat(b.expectedPartitions()).extracting(ExpectedPartition::number).containsExactly(1, 4);
  }

  @Test
  void entriesCarryExtentAttributesAndUtf16Name() {
    DiskImageBuilder b = disk(512);
    byte[] image = b.toBytes();
    long e4 = b.gptEntryOffset(4);
    assertThat(e4).isEqualTo(1024 + 3 * 128);
    assertThat(u64(image, e4 + 32)).isEqualTo(200);
    assertThat(u64(image, e4 + 40)).as("inclusive last LBA").isEqualTo(299);
    assertThat(u64(image, e4 + 48)).isEqualTo(0x8000_0000_0000_0004L);
    assertThat(slice(image, e4 + 56, 16))
        .isEqualTo("données\0".getBytes(StandardCharsets.UTF_16LE));
    assertThat(allZero(image, b.gptEntryOffset(2), 256)).as("unused entries 2, 3").isTrue();

    ExpectedPartition p4 = b.layout().partition(4);
    assertThat(p4.size()).isEqualTo(100 * 512);
    assertThat(p4.type()).isEqualTo("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7");
    assertThat(p4.label()).isEqualTo("données");
    assertThat(p4.bootable()).isTrue();
    assertThat(b.layout().partition(1).uuid()).isEqualTo(GptPartition.defaultUuid(1));
    assertThat(b.layout().diskId()).isEqualTo(DISK.toString());
  }

  @Test
  void customArrayPlacementCountAndEntrySize() {
    DiskImageBuilder b =
        new DiskImageBuilder()
            .gpt()
            .entriesLba(100)
            .entryCount(8)
            .entrySize(256)
            .gptPartition(8, 2048, 4095, "last");
    GptLayout g = b.layout().requireGpt();
    assertThat(g.entryArraySectors()).isEqualTo(4);
    assertThat(g.firstUsableLba()).isEqualTo(104);
    assertThat(b.gptEntryOffset(8)).isEqualTo(100 * 512 + 7 * 256);
    byte[] image = b.toBytes();
    assertThat(u64(image, b.primaryHeaderOffset() + 72)).isEqualTo(100);
    assertThat(u64(image, b.gptEntryOffset(8) + 32)).isEqualTo(2048);
    assertThat(u32(image, b.primaryHeaderOffset() + 88)).isEqualTo(crc(image, 100 * 512, 2048));
  }

  @Test
  void withoutBackupTheEndStaysEmptyButTheHeaderStillPointsThere() {
    DiskImageBuilder b = disk(512).withoutBackupGpt();
    byte[] image = b.toBytes();
    int tail = 33 * 512;
    assertThat(allZero(image, image.length - tail, tail)).isTrue();
    assertThat(u64(image, 512 + 32)).isEqualTo(image.length / 512 - 1);
  }

  @Test
  void outputIsDeterministic() {
    assertThat(Arrays.equals(disk(512).toBytes(), disk(512).toBytes())).isTrue();
    byte[] other = disk(512).diskGuid(UUID.randomUUID()).toBytes();
    assertThat(HexDiff.firstDifference(disk(512).toBytes(), other)).isEqualTo(512 + 16);
  }

  @Test
  void refusesWhatCannotBeEncoded() {
    assertThatThrownBy(() -> GptPartition.of(1, 10, 9)).hasMessageContaining("firstLba <= lastLba");
    assertThatThrownBy(() -> GptPartition.of(1, 10, 20).withName("x".repeat(37)))
        .hasMessageContaining("36 UTF-16 code units");
    assertThatThrownBy(() -> new DiskImageBuilder().gpt().gptPartition(129, 40, 50, "").toBytes())
        .hasMessageContaining("does not fit an array of 128 entries");
    assertThatThrownBy(() -> new DiskImageBuilder().entrySize(100)).hasMessageContaining(">= 128");
    assertThatThrownBy(() -> new DiskImageBuilder().sectorSize(800)).hasMessageContaining("512");
    assertThatThrownBy(() -> new DiskImageBuilder().gpt().primary(1, 0x83, 1, 1).toBytes())
        .hasMessageContaining("holds the 0xEE entry");
  }

  private static long headerCrc(byte[] image, long header) {
    return Bytes.headerCrc(image, header, 92);
  }

  private static long crc(byte[] image, long offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(image, (int) offset, length);
    return crc.getValue();
  }
}
