package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.fuse.FuseMount;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MountCommandTest {

  static MountCommand parse(String... args) {
    CommandLine cl =
        Cli.newCommandLine(
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    CommandLine.ParseResult pr = cl.parseArgs(args);
    return (MountCommand) pr.subcommand().commandSpec().userObject();
  }

  @Test
  void optionsBecomeAConfig() {
    MountCommand m =
        parse(
            "mount",
            "--rw",
            "--view",
            "boot=63s:1M",
            "-o",
            "allow_other,max_read=65536",
            "-o",
            "a\\,b",
            "--sector-size",
            "4096",
            "a.img",
            "b.img",
            "mnt");
    FuseMount.Config c = m.config();
    assertThat(c.images())
        .containsExactly(Path.of("a.img").toAbsolutePath(), Path.of("b.img").toAbsolutePath());
    assertThat(c.mountpoint()).isEqualTo(Path.of("mnt").toAbsolutePath());
    assertThat(c.writable()).isTrue();
    assertThat(c.views()).singleElement().satisfies(v -> assertThat(v.name()).isEqualTo("boot"));
    assertThat(c.fuseOptions()).containsExactly("allow_other", "max_read=65536", "a\\,b");
    assertThat(c.readOptions().sectorSize()).isEqualTo(4096);
  }

  @Test
  void theDaemonChildGetsTheSameRequest() {
    MountCommand m =
        parse("mount", "--view", "x=1M:2M", "-o", "allow_other", "--rw", "a.img", "mnt");
    FuseMount.Config c = m.config();
    List<String> args = m.childArguments(c, "/abs/mnt");
    assertThat(args)
        .startsWith("mount", "--daemon-child")
        .endsWith("--", c.images().get(0).toString(), "/abs/mnt");
    MountCommand child = parse(args.toArray(String[]::new));
    FuseMount.Config cc = child.config();
    assertThat(child.daemonChild).isTrue();
    assertThat(cc.images()).isEqualTo(c.images());
    assertThat(cc.mountpoint()).isEqualTo(Path.of("/abs/mnt"));
    assertThat(cc.writable()).isTrue();
    assertThat(cc.views()).isEqualTo(c.views());
    assertThat(cc.fuseOptions()).isEqualTo(c.fuseOptions());
  }

  @Test
  void optionGroupsSplitAtUnescapedCommas() {
    assertThat(MountCommand.splitOptions(List.of("a,b,,c", "d\\,e", "")))
        .containsExactly("a", "b", "c", "d\\,e");
  }

  @Test
  void badCommandLinesAreUsageErrors() {
    CliRun r = CliRun.run("mount", "only-one-argument");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    CliRun v = CliRun.run("mount", "--view", "nonsense", "a.img", "mnt");
    assertThat(v.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(v.err()).contains("--view 'nonsense'");
    CliRun s = CliRun.run("mount", "--sector-size", "1000", "a.img", "mnt");
    assertThat(s.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(s.err()).contains("sector size");
    CliRun u = CliRun.run("umount");
    assertThat(u.code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void daemonsAreKnownByTheirCommandLine() {
    List<String> cmd =
        List.of(
            "java",
            "-cp",
            "x.jar",
            Main.class.getName(),
            "mount",
            "--daemon-child",
            "--",
            "a.img",
            "/mnt/x");
    assertThat(DaemonProcesses.isDaemonOf(cmd, "/mnt/x")).isTrue();
    assertThat(DaemonProcesses.isDaemonOf(cmd, "/mnt")).isFalse();
    assertThat(
            DaemonProcesses.isDaemonOf(
                List.of("java", Main.class.getName(), "mount", "--", "a", "/mnt/x"), "/mnt/x"))
        .isFalse();
    assertThat(DaemonProcesses.running(ProcessHandle.current().pid())).isTrue();
    assertThat(DaemonProcesses.running(Long.MAX_VALUE)).isFalse();
  }
}
