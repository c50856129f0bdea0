package dev.partview.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OffsetRangeTest {
  @Test
  void parsesBytesSectorsAndUnits() {
    assertThat(OffsetRange.parse("32256", 512))
        .isEqualTo(new OffsetRange(32256, OffsetRange.TO_END));
    assertThat(OffsetRange.parse("63s:1M", 512)).isEqualTo(new OffsetRange(32256, 1 << 20));
    assertThat(OffsetRange.parse("2s:1K", 4096)).isEqualTo(new OffsetRange(8192, 1024));
    assertThat(OffsetRange.parse("1G:100M", 512)).isEqualTo(new OffsetRange(1L << 30, 100L << 20));
  }

  @Test
  void rejectsWhatIsNoRange() {
    for (String bad :
        new String[] {"", ":", "1:", ":1", "x", "1:0", "-5", "1:2:3", "99999999999999999999"}) {
      assertThatThrownBy(() -> OffsetRange.parse(bad, 512))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void namesTheTextInItsMessage() {
    assertThatThrownBy(() -> OffsetRange.parse("12Q", 512)).hasMessageContaining("12Q");
  }
}
