package dev.partview.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadAheadTest {
  @TempDir Path dir;

  @Test
  void raisesALowValue() throws Exception {
    Path knob = Files.writeString(dir.resolve("read_ahead_kb"), "128\n");
    assertThat(ReadAhead.raise(knob, 1024)).isEmpty();
    assertThat(Files.readString(knob)).isEqualTo("1024");
  }

  @Test
  void keepsAHigherValue() throws Exception {
    Path knob = Files.writeString(dir.resolve("read_ahead_kb"), "4096\n");
    assertThat(ReadAhead.raise(knob, 1024)).isEmpty();
    assertThat(Files.readString(knob)).isEqualTo("4096\n");
  }

  @Test
  void saysWhyWhenTheKnobIsMissing() {
    Path knob = dir.resolve("no-such-bdi/read_ahead_kb");
    assertThat(ReadAhead.raise(knob, 1024))
        .hasValue("read-ahead stays at the kernel's default: " + knob + ": no such file");
  }

  @Test
  void saysWhyWhenTheKnobHoldsNoNumber() throws Exception {
    Path knob = Files.writeString(dir.resolve("read_ahead_kb"), "fast\n");
    assertThat(ReadAhead.raise(knob, 1024))
        .hasValueSatisfying(why -> assertThat(why).startsWith("read-ahead stays").contains("fast"));
    assertThat(Files.readString(knob)).isEqualTo("fast\n");
  }
}
