package dev.partview.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadAheadTest {
  @TempDir Path dir;

  @Test
  void raisesALowValue() throws Exception {
    Path knob = Files.writeString(dir.resolve("read_ahead_kb"), "128\n");
    assertThat(ReadAhead.raise(knob, 2048)).isEmpty();
    assertThat(Files.readString(knob)).isEqualTo("2048");
  }

  @Test
  void keepsAHigherValue() throws Exception {
    Path knob = Files.writeString(dir.resolve("read_ahead_kb"), "4096\n");
    assertThat(ReadAhead.raise(knob, 2048)).isEmpty();
    assertThat(Files.readString(knob)).isEqualTo("4096\n");
  }

  @Test
  void saysWhyWhenTheKnobIsMissing() {
    Path knob = dir.resolve("no-such-bdi/read_ahead_kb");
    assertThat(ReadAhead.raise(knob, 2048))
        .hasValue("read-ahead stays at the kernel's default: " + knob + ": no such file");
  }

  @Test
  void saysWhyWhenTheKnobHoldsNoNumber() throws Exception {
    Path knob = Files.writeString(dir.resolve("read_ahead_kb"), "fast\n");
    assertThat(ReadAhead.raise(knob, 2048))
        .hasValueSatisfying(why -> assertThat(why).startsWith("read-ahead stays").contains("fast"));
    assertThat(Files.readString(knob)).isEqualTo("fast\n");
  }

  @Test
  void staysSilentWhereRaisingIsNotAllowedAndSaysWhyOtherwise() {
    Path knob = Path.of("/sys/class/bdi/0:52/read_ahead_kb");
    IOException denied = new AccessDeniedException(knob.toString());
    IOException readOnly = new FileSystemException(knob.toString(), null, "Read-only file system");
    IOException busy = new FileSystemException(knob.toString(), null, "Device or resource busy");
    assertThat(ReadAhead.why(knob, denied, false)).as("not root").isEmpty();
    assertThat(ReadAhead.why(knob, readOnly, true)).as("a container's /sys").isEmpty();
    assertThat(ReadAhead.why(knob, busy, false))
        .hasValue(
            "read-ahead stays at the kernel's default: " + knob + ": Device or resource busy");
  }

  @Test
  void theBackgroundRequestsLeaveRoomForTheWholeReadAhead() {
    // The kernel skips read-ahead while more than 3/4 of max_background requests are in flight.
    int requests = ReadAhead.WANTED_KIB / 128;
    assertThat(ReadAhead.MAX_BACKGROUND * 3 / 4).isGreaterThanOrEqualTo(requests);
    assertThat(ReadAhead.MAX_BACKGROUND).isGreaterThanOrEqualTo(12); // libfuse's default
  }
}
