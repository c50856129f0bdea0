package dev.partview.fuse.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The byte layouts of linux/loop.h and linux/blkpg.h (x86-64 and arm64: same LP64 rules). */
class LoopStructLayoutTest {
  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
  }

  @Test
  void loopInfo64PutsOffsetSizeLimitFlagsAndNameWhereTheKernelReadsThem() {
    byte[] b = LoopInfo64.of(32256, 1 << 20, 0x5, "disk.img:p1").encode();
    assertThat(b).hasSize(232);
    assertThat(le(b).getLong(24)).isEqualTo(32256);
    assertThat(le(b).getLong(32)).isEqualTo(1 << 20);
    assertThat(le(b).getInt(52)).isEqualTo(5);
    assertThat(new String(b, 56, 11, StandardCharsets.UTF_8)).isEqualTo("disk.img:p1");
    assertThat(b[67]).isZero();
    // Read-only fields, encryption fields and the rest stay zero.
    assertThat(Arrays.copyOfRange(b, 0, 24)).containsOnly(0);
    assertThat(Arrays.copyOfRange(b, 40, 52)).containsOnly(0);
    assertThat(Arrays.copyOfRange(b, 120, 232)).containsOnly(0);
  }

  @Test
  void loopInfo64DecodesWhatTheKernelFillsIn() {
    byte[] b = new byte[232];
    le(b).putLong(0, 0x803).putLong(8, 1234567).putLong(24, 512).putLong(32, 4096);
    le(b).putInt(40, 7).putInt(52, 0x4 | 0x1);
    byte[] name = "/tmp/x.img:p5".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(name, 0, b, 56, name.length);
    LoopInfo64 i = LoopInfo64.decode(b);
    assertThat(i).isEqualTo(new LoopInfo64(0x803, 1234567, 0, 512, 4096, 7, 5, "/tmp/x.img:p5"));
    assertThat(i.flags() & LoopAbi.LO_FLAGS_AUTOCLEAR).isNotZero();
    assertThat(LoopInfo64.decode(i.encode())).isEqualTo(i);
  }

  @Test
  void fileNameIsCutTo63BytesOnACharacterBoundary() {
    String ascii = "a".repeat(100);
    assertThat(LoopInfo64.truncatedName(ascii)).hasSize(63);
    // 'é' is two bytes: 31 of them are 62 bytes, a 32nd would end at byte 64.
    String twoByte = "é".repeat(40);
    byte[] cut = LoopInfo64.truncatedName(twoByte);
    assertThat(cut).hasSize(62);
    assertThat(new String(cut, StandardCharsets.UTF_8)).isEqualTo("é".repeat(31));
    byte[] b = LoopInfo64.of(0, 0, 0, ascii).encode();
    assertThat(b[56 + 62]).isEqualTo((byte) 'a');
    assertThat(b[56 + 63]).as("NUL kept in the 64th byte").isZero();
  }

  @Test
  void loopConfigEmbedsLoopInfo64AtByte8AndIs304Bytes() {
    byte[] b = new LoopConfig(17, 4096, LoopInfo64.of(1 << 20, 0, 0x10, "n")).encode();
    assertThat(b).hasSize(304);
    assertThat(le(b).getInt(0)).isEqualTo(17);
    assertThat(le(b).getInt(4)).isEqualTo(4096);
    assertThat(le(b).getLong(8 + 24)).isEqualTo(1 << 20);
    assertThat(le(b).getInt(8 + 52)).isEqualTo(0x10);
    assertThat(b[8 + 56]).isEqualTo((byte) 'n');
    assertThat(Arrays.copyOfRange(b, 240, 304)).as("__reserved[8]").containsOnly(0);
  }

  @Test
  void blkpgPartitionAndArgLayout() {
    byte[] p = new BlkpgPartition(32256 - 512 + 512, 1 << 20, 5, "").encode();
    assertThat(p).hasSize(152);
    assertThat(le(p).getLong(0)).isEqualTo(32256);
    assertThat(le(p).getLong(8)).isEqualTo(1 << 20);
    assertThat(le(p).getInt(16)).isEqualTo(5);
    assertThat(Arrays.copyOfRange(p, 20, 152)).containsOnly(0);
    byte[] a = BlkpgPartition.encodeArg(LoopAbi.BLKPG_ADD_PARTITION, 0x7f00_1234_5678L);
    assertThat(a).hasSize(24);
    assertThat(le(a).getInt(0)).isEqualTo(1);
    assertThat(le(a).getInt(4)).isZero();
    assertThat(le(a).getInt(8)).isEqualTo(152);
    assertThat(le(a).getInt(12)).as("padding before the pointer").isZero();
    assertThat(le(a).getLong(16)).isEqualTo(0x7f00_1234_5678L);
  }

  @Test
  void specFlagsNeverIncludeAutoclear() {
    LoopSpec s = new LoopSpec(Path.of("/i"), 0, 0, true, true, true, 0, "i");
    assertThat(s.flags())
        .isEqualTo(
            LoopAbi.LO_FLAGS_READ_ONLY | LoopAbi.LO_FLAGS_DIRECT_IO | LoopAbi.LO_FLAGS_PARTSCAN);
    assertThat(s.withReadOnly(false).flags() & LoopAbi.LO_FLAGS_READ_ONLY).isZero();
  }

  @Test
  void partitionNameKeepsThePathWhenItFitsElseTheFileName() {
    assertThat(LoopSpec.partitionName(Path.of("/tmp/disk.img"), "p1"))
        .isEqualTo("/tmp/disk.img:p1");
    Path deep = Path.of("/" + "d".repeat(70), "disk.img");
    assertThat(LoopSpec.partitionName(deep, "p5")).isEqualTo("disk.img:p5");
  }

  @Test
  void ioctlNumbersMatchLinuxLoopH() {
    assertThat(LoopAbi.LOOP_CONFIGURE).isEqualTo(0x4C0A);
    assertThat(LoopAbi.LOOP_CTL_GET_FREE).isEqualTo(0x4C82);
    assertThat(LoopAbi.BLKPG).isEqualTo((0x12 << 8) | 105);
    assertThat(LoopAbi.LOOP_CLR_FD).isEqualTo(0x4C01);
    assertThat(LoopAbi.LOOP_SET_BLOCK_SIZE).isEqualTo(0x4C09);
  }

  @Test
  void specBlockSizeIsTheDefaultOrAPowerOfTwoFrom512() {
    LoopSpec whole = LoopSpec.wholeFile(Path.of("/i"));
    assertThat(whole.blockSize()).as("the kernel's default").isZero();
    assertThat(whole.withBlockSize(4096).blockSize()).isEqualTo(4096);
    for (int bad : new int[] {-512, 256, 1000, 3072}) {
      assertThatThrownBy(() -> whole.withBlockSize(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("block size");
    }
  }
}
