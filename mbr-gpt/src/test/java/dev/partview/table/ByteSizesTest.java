package dev.partview.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizesTest {
  @Test
  void onlyTheSectorUnitCountsInSectors() {
    assertThat(ByteSizes.inSectors("63s")).isTrue();
    assertThat(ByteSizes.inSectors("2048S")).isTrue();
    assertThat(ByteSizes.inSectors("32256")).isFalse();
    assertThat(ByteSizes.inSectors("1M")).isFalse();
    assertThat(ByteSizes.inSectors("1MiB")).isFalse();
    assertThat(ByteSizes.inSectors("s")).isTrue(); // parse still refuses it: not a size
  }

  @Test
  void onlyAsciiDigitsAndAUnitNothingAround() {
    for (String bad : new String[] {" 1", "1 ", "\uff11", "+1", "-1", "1.5M", "0x10", ""}) {
      assertThatThrownBy(() -> ByteSizes.parse(bad, 512))
          .as("'" + bad + "'")
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(ByteSizes.parse("01", 512)).isEqualTo(1);
  }

  @Test
  void sectorsAreWorthWhatTheCallerSays() {
    assertThat(ByteSizes.parse("63s", 512)).isEqualTo(32256);
    assertThat(ByteSizes.parse("63s", 4096)).isEqualTo(63 * 4096);
    assertThat(ByteSizes.parse("1M", 4096)).isEqualTo(1 << 20);
  }
}
