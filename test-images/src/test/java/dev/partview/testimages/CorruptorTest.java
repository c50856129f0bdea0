package dev.partview.testimages;

import static dev.partview.testimages.Bytes.u32;
import static dev.partview.testimages.Bytes.u64;
import static dev.partview.testimages.Bytes.u8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each corruption changes only the bytes of its field (plus the header CRC where documented). */
class CorruptorTest {
  private final DiskImageBuilder gpt = GptImageTest.disk(512);
  private final DiskLayout layout = gpt.layout();
  private final long header = layout.primaryHeaderOffset();

  @Test
  void rawSettersWriteLittleEndianAndNothingElse() {
    byte[] before = gpt.toBytes();
    byte[] after =
        Corruptor.of(before.clone(), layout)
            .setU8(1000, 0xAB)
            .setU16(1002, 0xBEEF)
            .setU32(1004, 0xCAFEBABEL)
            .setU64(1008, 0x0102030405060708L)
            .flipByte(440)
            .bytes();
    assertThat(changedOffsets(before, after))
        .containsExactly(
            440L, 1000L, 1002L, 1003L, 1004L, 1005L, 1006L, 1007L, 1008L, 1009L, 1010L, 1011L,
            1012L, 1013L, 1014L, 1015L);
    assertThat(u8(after, 1000)).isEqualTo(0xAB);
    assertThat(u32(after, 1004)).isEqualTo(0xCAFEBABEL);
    assertThat(u64(after, 1008)).isEqualTo(0x0102030405060708L);
    assertThat(after[440]).isEqualTo((byte) ~before[440]);
  }

  @Test
  void breakPrimaryHeaderCrcTouchesOnlyTheCrcField() {
    byte[] before = gpt.toBytes();
    byte[] after = Corruptor.of(before.clone(), layout).breakPrimaryHeaderCrc().bytes();
    assertThat(changedOffsets(before, after)).containsExactly(header + 16);
    assertThat(u32(after, header + 16)).isNotEqualTo(headerCrc(after, header));
  }

  @Test
  void breakEntryArrayCrcKeepsTheHeaderConsistent() {
    byte[] before = gpt.toBytes();
    byte[] after = Corruptor.of(before.clone(), layout).breakEntryArrayCrc().bytes();
    assertThat(u32(after, header + 88)).isNotEqualTo(u32(before, header + 88));
    assertThat(u32(after, header + 16)).isEqualTo(headerCrc(after, header));
    assertThat(changedOffsets(before, after)).allMatch(o -> o >= header + 16 && o < header + 92);
  }

  @Test
  void fixEntryArrayCrcMakesEditedEntriesValidAgain() {
    byte[] before = gpt.toBytes();
    long array = layout.entryArrayOffset();
    int n = (int) layout.requireGpt().entryArrayBytes();
    byte[] after =
        Corruptor.of(before.clone(), layout).flipByte(array + 40).fixEntryArrayCrc().bytes();
    CRC32 crc = new CRC32();
    crc.update(after, (int) array, n);
    assertThat(u32(after, header + 88))
        .isEqualTo(crc.getValue())
        .isNotEqualTo(u32(before, header + 88));
    assertThat(u32(after, header + 16)).isEqualTo(headerCrc(after, header));
  }

  @Test
  void fixBackupHeaderCrcTouchesOnlyTheBackup() {
    long backup = layout.backupHeaderOffset();
    byte[] before = gpt.toBytes();
    byte[] after =
        Corruptor.of(before.clone(), layout).flipByte(backup + 56).fixBackupHeaderCrc().bytes();
    assertThat(changedOffsets(before, after)).allMatch(o -> o >= backup + 16 && o <= backup + 56);
    assertThat(u32(after, backup + 16)).isEqualTo(headerCrc(after, backup));
  }

  @Test
  void headerFieldSettersRefreshTheHeaderCrc() {
    byte[] base = gpt.toBytes();
    byte[] size = Corruptor.of(base.clone(), layout).setHeaderSize(93).bytes();
    assertThat(u32(size, header + 12)).isEqualTo(93);
    assertThat(u32(size, header + 16)).isEqualTo(Bytes.headerCrc(size, header, 93));

    byte[] count = Corruptor.of(base.clone(), layout).setEntryCount(0xFFFF_FFFFL).bytes();
    assertThat(u32(count, header + 80)).isEqualTo(0xFFFF_FFFFL);
    assertThat(u32(count, header + 16)).isEqualTo(headerCrc(count, header));

    byte[] entrySize = Corruptor.of(base.clone(), layout).setEntrySize(127).bytes();
    assertThat(u32(entrySize, header + 84)).isEqualTo(127);
    assertThat(u32(entrySize, header + 16)).isEqualTo(headerCrc(entrySize, header));

    byte[] myLba = Corruptor.of(base.clone(), layout).setMyLba(7).bytes();
    assertThat(u64(myLba, header + 24)).isEqualTo(7);
    assertThat(u32(myLba, header + 16)).isEqualTo(headerCrc(myLba, header));
  }

  @Test
  void zeroHeadersLeaveTheOtherCopyIntact() {
    byte[] before = gpt.toBytes();
    byte[] after = Corruptor.of(before.clone(), layout).zeroPrimaryHeader().bytes();
    assertThat(Bytes.allZero(after, 512, 512)).isTrue();
    long backup = layout.backupHeaderOffset();
    assertThat(Bytes.slice(after, backup, 512)).isEqualTo(Bytes.slice(before, backup, 512));
    byte[] noBackup = Corruptor.of(before.clone(), layout).zeroBackupHeader().bytes();
    assertThat(Bytes.allZero(noBackup, backup, 512)).isTrue();
  }

  @Test
  void loopEbrChainLinksBackToAnEarlierEbr() {
    DiskImageBuilder mbr = MbrImageTest.legacy();
    DiskLayout l = mbr.layout();
    byte[] selfLoop = Corruptor.of(mbr.toBytes(), l).loopEbrChain(1, 1).bytes();
    long link = l.ebr(1).linkEntryOffset();
    assertThat(u32(selfLoop, link + 8)).isEqualTo(l.ebr(1).lba() - l.extendedStartLba());

    byte[] backToFirst = Corruptor.of(mbr.toBytes(), l).loopEbrChain(2, 0).bytes();
    long lastLink = l.ebr(2).linkEntryOffset();
    assertThat(u8(backToFirst, lastLink + 4)).isEqualTo(0x05);
    assertThat(u32(backToFirst, lastLink + 8)).as("relative 0 = the first EBR").isZero();
    assertThat(u32(backToFirst, lastLink + 12)).isEqualTo(1);
  }

  @Test
  void worksOnFilesAsOnArraysAndTruncates(@TempDir Path dir) throws IOException {
    Path file = gpt.writeTo(dir.resolve("disk.img"));
    Corruptor.of(file, layout).breakPrimaryHeaderCrc().setU32(2000, 42).truncateTo(40_000);
    byte[] expected =
        Corruptor.of(gpt.toBytes(), layout)
            .breakPrimaryHeaderCrc()
            .setU32(2000, 42)
            .truncateTo(40_000)
            .bytes();
    HexDiff.assertBytesEqual(expected, Files.readAllBytes(file));
    assertThat(expected).hasSize(40_000);
  }

  @Test
  void refusesOffsetsOutsideTheImage() {
    assertThatThrownBy(() -> Corruptor.of(new byte[512], layout).setU32(510, 1))
        .hasMessage("offset 510, length 4 (expected range 0..512)");
    assertThatThrownBy(
            () -> Corruptor.of(new byte[512], MbrImageTest.legacy().layout()).zeroPrimaryHeader())
        .hasMessage("this image has no GPT");
  }

  private static List<Long> changedOffsets(byte[] a, byte[] b) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < a.length; i++) if (a[i] != b[i]) out.add((long) i);
    return out;
  }

  private static long headerCrc(byte[] image, long header) {
    return Bytes.headerCrc(image, header, 92);
  }
}
