package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.fuse.sys.ErrnoException;
import org.junit.jupiter.api.Test;

/** Option checks and help, decided before anything touches a device (no root needed). */
class AttachDetachUsageTest {
  @Test
  void helpExplainsTheImageOrFileRule() {
    CliRun r = CliRun.run("attach", "--help");
    assertThat(r.code()).isZero();
    String help = r.out().replaceAll("\\s+", " ");
    assertThat(help)
        .contains("A file with a partition table is an image")
        .contains("A file without a partition table is attached whole")
        .contains("--whole attaches the whole file even when it has a table")
        .contains("never the extended container");
  }

  @Test
  void conflictingOptionsAreUsageErrors() {
    String img = "/nonexistent.img";
    for (String[] args :
        new String[][] {
          {"attach", img, "p1", "--whole"},
          {"attach", img, "--partscan", "--whole"},
          {"attach", img, "--partscan", "--mount", "/mnt"},
          {"attach", img, "-t", "ext4"},
          {"attach", img, "-o", "noexec"},
        }) {
      CliRun r = CliRun.run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().lines().count()).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void detachNeedsATargetAndRefusesPartitionNodes() {
    assertThat(CliRun.run("detach").code()).isEqualTo(ExitCodes.USAGE);
    CliRun r = CliRun.run("detach", "loop7p2");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("loop7p2 is a partition of /dev/loop7: detach /dev/loop7");
  }

  @Test
  void environmentFailuresAreExit4AndOthersExit1() {
    assertThat(LoopErrors.exitCode(new ErrnoException("open", "/dev/loop-control", 13)))
        .isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(LoopErrors.exitCode(new ErrnoException("open", "/dev/loop-control", 2)))
        .as("ENOENT: no loop driver")
        .isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(
            LoopErrors.exitCode(new ErrnoException("LOOP_CTL_GET_FREE", "/dev/loop-control", 28)))
        .isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(LoopErrors.exitCode(new ErrnoException("LOOP_CONFIGURE", "/dev/loop3", 16)))
        .as("EBUSY after every retry: no free device")
        .isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(LoopErrors.exitCode(new ErrnoException("open", "/images/a.img", 2)))
        .isEqualTo(ExitCodes.RUNTIME);
    assertThat(LoopErrors.exitCode(new ErrnoException("LOOP_CONFIGURE", "/dev/loop3", 22)))
        .isEqualTo(ExitCodes.RUNTIME);
  }
}
