package dev.partview.testimages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HexDiffTest {

  @Test
  void pointsAtTheFirstDifferenceWithItsRow() {
    byte[] a = new byte[64];
    byte[] b = a.clone();
    a[0x22] = (byte) 0xEE;
    b[0x22] = (byte) 0x83;
    b[0x2f] = 'A';
    String[] lines = HexDiff.describe(a, b).split("\\R");
    assertThat(lines[0]).isEqualTo("first difference at offset 0x22 (34); lengths 64 and 64");
    assertThat(lines[1])
        .isEqualTo(
            "  expected 00000020: 00 00 [ee] 00 00 00 00 00 00 00 00 00 00 00 00 [00]  ................");
    assertThat(lines[2])
        .isEqualTo(
            "  actual   00000020: 00 00 [83] 00 00 00 00 00 00 00 00 00 00 00 00 [41]  ...............A");
  }

  @Test
  void aShorterArrayDiffersWhereItEnds() {
    byte[] a = {1, 2, 3};
    byte[] b = {1, 2};
    assertThat(HexDiff.firstDifference(a, b)).isEqualTo(2);
    assertThat(HexDiff.describe(a, b))
        .contains("00000000: 01 02 [03] --")
        .contains("lengths 3 and 2");
    assertThat(HexDiff.describe(a, a.clone())).isEqualTo("equal");
    assertThatThrownBy(() -> HexDiff.assertBytesEqual(a, b)).hasMessageContaining("offset 0x2");
  }
}
