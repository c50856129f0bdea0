package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.fuse.loop.LoopDetacher;
import dev.partview.fuse.loop.LoopSysfs;
import dev.partview.fuse.sys.ErrnoException;
import dev.partview.testimages.DiskImageBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /**
   * The first 32 KiB of a 64 MiB GPT disk: the table's diagnostics come first, as {@code list}
   * shows them, then why nothing is attached, before any device is touched.
   */
  @Test
  void aTruncatedImageShowsTheTablesDiagnosticsAndIsExit3(@TempDir Path tmp) throws Exception {
    Path img =
        new DiskImageBuilder()
            .sizeBytes(64 << 20)
            .gpt()
            .gptPartition(1, 2048, 4095, "a")
            .gptPartition(2, 4096, 8191, "b")
            .truncatedTo(32768)
            .writeTo(tmp.toRealPath().resolve("head.img"));
    CliRun list = CliRun.run("list", img.toString());
    CliRun r = CliRun.run("attach", img.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_TABLE);
    List<String> want = new ArrayList<>();
    for (String l : list.out().lines().toList()) {
      if (l.startsWith("warning: ")) {
        want.add("partview: warning: " + img + ": " + l.substring("warning: ".length()));
      }
    }
    assertThat(want).hasSize(3); // the backup header and both partitions
    want.add(
        "partview: "
            + img
            + ": all 2 data partitions lie past the end of the image (32768 bytes): nothing to"
            + " attach (use --whole for the whole file)");
    assertThat(r.err().lines()).containsExactlyElementsOf(want);
  }

  /** Over a stand-in /sys/block: loop5 exists, bound to nothing; loop9 does not exist. */
  @Test
  void detachOfAnUnboundOrMissingDeviceSaysWhich(@TempDir Path tmp) throws Exception {
    Path sys = Files.createDirectories(tmp.resolve("sys-block/loop5/loop"));
    LoopDetacher detacher = new LoopDetacher(new LoopSysfs(sys.getParent().getParent()));
    StringWriter err = new StringWriter();
    PrintWriter out = new PrintWriter(new StringWriter());
    assertThat(DetachCommand.detach("/dev/loop5", detacher, out, new PrintWriter(err, true)))
        .isEqualTo(ExitCodes.RUNTIME);
    assertThat(DetachCommand.detach("loop9", detacher, out, new PrintWriter(err, true)))
        .isEqualTo(ExitCodes.RUNTIME);
    assertThat(err.toString().lines())
        .containsExactly(
            "partview: /dev/loop5: not attached", "partview: /dev/loop9: no such loop device");
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
    assertThat(LoopErrors.exitCode(new ErrnoException("BLKPG_ADD_PARTITION", "/dev/loop3p2", 16)))
        .as("EBUSY from BLKPG: a partition in the way, not a busy environment")
        .isEqualTo(ExitCodes.RUNTIME);
  }
}
