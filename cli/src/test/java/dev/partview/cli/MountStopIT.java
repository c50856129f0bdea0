package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.fuse.FuseMount;
import dev.partview.fuse.sys.MountTable;
import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import dev.partview.testimages.ToolImages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stop (signal, ready timeout) that comes while the mount is being made. The daemon is held at an
 * exact stage through FuseMount's test seam ({@code -Dpartview.test.pauseAt=STAGE}, released when
 * the mount is being stopped), so the signal lands at that moment every run, not by luck.
 * Afterwards the folder must be a plain folder again: no mount in /proc/self/mountinfo, no dead
 * mount (stat works), no daemon left, and the documented exit status.
 */
class MountStopIT {
  @TempDir Path dir;
  Path mnt;
  String target;
  Path img;
  final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    IntegrationEnvironment.requireFuse();
    IntegrationEnvironment.requireTool("sfdisk");
    assertThat(Processes.jar()).as("built by mvn package").exists();
    mnt = Files.createDirectory(dir.resolve("mnt"));
    target = FuseMount.canonicalTarget(mnt);
    img = ToolImages.legacy(dir.resolve("disk.img"), 7);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : processes) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    if (MountTable.read().at(target).isPresent()) {
      Processes.run(60, Processes.javaJar("umount", target));
    }
    if (MountTable.read().at(target).isPresent()) Tool.run("umount", "-l", target); // last resort
    for (ProcessHandle h : DaemonProcesses.serving(target)) h.destroyForcibly();
    assertThat(MountTable.read().at(target)).as("left mounted: " + target).isEmpty();
    Files.deleteIfExists(DaemonLauncher.logFile(target)); // a failed mount keeps its log
  }

  /**
   * fuse-main: libfuse is about to start, nothing mounted yet (the old hook found no mount, left,
   * and the mount(2) that followed was left dead). init: mounted, the kernel's INIT not answered.
   * ready: answering, not yet announced.
   */
  @ParameterizedTest
  @CsvSource({
    "fuse-main, TERM, 143, false",
    "fuse-main, INT, 130, false",
    "init, TERM, 143, true",
    "init, INT, 130, true",
    "ready, TERM, 143, true",
    "ready, INT, 130, true"
  })
  void aSignalWhileMountingLeavesThePlainFolder(
      String stage, String signal, int status, boolean mountedAtStage) throws Exception {
    Process p = startForeground(stage);
    StringBuilder err = new StringBuilder();
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    String pauseLine = "partview: test pause at " + stage;
    for (String line = r.readLine(); ; line = r.readLine()) {
      assertThat(line).as("the daemon ended before " + stage + ": " + err).isNotNull();
      err.append(line).append('\n');
      if (line.equals(pauseLine)) break;
    }
    assertThat(MountTable.read().at(target).isPresent())
        .as("mounted at " + stage)
        .isEqualTo(mountedAtStage);

    Tool.ok("kill", "-" + signal, Long.toString(p.pid()));
    Thread drain = drain(r, err);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited after SIG" + signal).isTrue();
    drain.join(10_000);
    String said;
    synchronized (err) {
      said = err.toString();
    }
    System.out.printf("SIG%s at %s: exit %d, stderr:%n%s", signal, stage, p.exitValue(), said);
    assertThat(p.exitValue()).as(said).isEqualTo(status);
    assertPlainFolder();
    assertThat(said).doesNotContain("cannot unmount").doesNotContain("Exception");
  }

  /**
   * A stop while the mount is starting, with a file of it already opened for writing: the mount is
   * busy, so it keeps serving until the file is closed, and serving means writes too (they got EIO:
   * the images were closed under the still-running libfuse). Then the folder is plain again.
   */
  @Test
  void aFileOpenedWhileTheMountStartsStaysWritableAfterAStop() throws Exception {
    Process p = startForeground("ready", "--rw");
    StringBuilder err = new StringBuilder();
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    Thread drain = drain(r, err);
    awaitStderr(p, err, "partview: test pause at ready");
    long start =
        Long.parseLong(
            Processes.run(60, Processes.javaJar("offset", img.toString(), "p1")).out().strip());
    ByteBuffer data = ByteBuffer.wrap(new byte[4096]);
    java.util.Arrays.fill(data.array(), (byte) 0x5a);
    try (FileChannel ch =
        FileChannel.open(mnt.resolve("p1"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      Tool.ok("kill", "-INT", Long.toString(p.pid()));
      awaitStderr(p, err, "serving until it is free");
      assertThat(ch.write(data, 0)).isEqualTo(4096);
      ch.force(false);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited once the file was closed").isTrue();
    drain.join(10_000);
    assertThat(p.exitValue()).as(err.toString()).isEqualTo(130);
    assertPlainFolder();
    try (FileChannel image = FileChannel.open(img)) {
      ByteBuffer back = ByteBuffer.allocate(4096);
      image.read(back, start);
      assertThat(back.array()).as("the write reached the image").isEqualTo(data.array());
    }
  }

  /**
   * {@code partview mount --foreground [OPTIONS] IMG MNT} held at {@code stage}, with the shell's
   * default signal dispositions (a test runner may start children with SIGINT ignored).
   */
  private Process startForeground(String stage, String... options) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT,TERM"));
    cmd.addAll(Processes.javaCommand());
    cmd.addAll(
        List.of("-Dpartview.test.pauseAt=" + stage, "-jar", Processes.jar().toString(), "mount"));
    cmd.add("--foreground");
    cmd.addAll(List.of(options));
    cmd.addAll(List.of(img.toString(), mnt.toString()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    processes.add(p);
    return p;
  }

  /** Reads {@code r} to its end into {@code err} (synchronized on it), on a thread of its own. */
  private static Thread drain(BufferedReader r, StringBuilder err) {
    Thread t =
        new Thread(
            () -> {
              try {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  synchronized (err) {
                    err.append(line).append('\n');
                  }
                }
              } catch (IOException e) {
                // the process is gone
              }
            });
    t.start();
    return t;
  }

  private static void awaitStderr(Process p, StringBuilder err, String text)
      throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      synchronized (err) {
        if (err.indexOf(text) >= 0) return;
        assertThat(p.isAlive()).as("ended before '" + text + "': " + err).isTrue();
      }
      assertThat(System.nanoTime()).as("'" + text + "' in time: " + err).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /**
   * The launcher's ready timeout: it stops the daemon (held at INIT, so the mount never answers)
   * and returns only once the daemon has removed its mount and exited.
   */
  @Test
  void theReadyTimeoutOfMountStopsTheDaemonAndLeavesThePlainFolder() throws Exception {
    Process p = launchWithDaemonPausedAtInit(List.of(), "-Dpartview.test.readyTimeoutSeconds=3");
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    String said = Files.readString(errFile());
    System.out.printf("ready timeout: exit %d, stderr:%n%s", p.exitValue(), said);
    assertThat(p.exitValue()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(said)
        .contains("test pause at init")
        .contains("was not ready after 3 s")
        .doesNotContain("did not stop")
        .doesNotContain("is left on");
    // At once, no waiting: the daemon is gone and so is its mount.
    assertThat(DaemonProcesses.serving(target)).isEmpty();
    assertPlainFolder();
  }

  /**
   * Ctrl-C on `partview mount` (the launcher) while its daemon, in a session of its own, has
   * mounted but not yet answered: the launcher stops the daemon too, and the folder is plain again.
   */
  @ParameterizedTest
  @CsvSource({"INT, 130", "TERM, 143"})
  void aSignalToTheLauncherStopsItsDaemon(String signal, int status) throws Exception {
    Process p = launchWithDaemonPausedAtInit(List.of("env", "--default-signal=INT,TERM"));
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (MountTable.read().at(target).isEmpty()) {
      assertThat(p.isAlive()).as("launcher ended early: " + Files.readString(errFile())).isTrue();
      assertThat(System.nanoTime()).as("mounted in time").isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(DaemonProcesses.serving(target)).hasSize(1);
    Tool.ok("kill", "-" + signal, Long.toString(p.pid()));
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String said = Files.readString(errFile());
    System.out.printf("SIG%s to the launcher: exit %d, stderr:%n%s", signal, p.exitValue(), said);
    assertThat(p.exitValue()).isEqualTo(status);
    assertPlainFolder();
    assertThat(DaemonLauncher.logFile(target)).as("the stopped daemon's log").doesNotExist();
    assertThat(DaemonLauncher.lockFile(target)).as("the launch's lock file").doesNotExist();
  }

  /**
   * Ctrl-C on `partview mount` once a process has opened a file of the new mount: the daemon keeps
   * serving that file (never a dead mount under it), the launcher says so and returns at once, and
   * the daemon unmounts when the file is closed.
   */
  @Test
  void aSignalToTheLauncherLeavesABusyMountServingUntilItIsFree() throws Exception {
    Process p = launchWithDaemonPausedAt("ready", List.of("env", "--default-signal=INT,TERM"));
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.exists(mnt.resolve("p1"))) {
      assertThat(p.isAlive()).as("launcher ended early: " + Files.readString(errFile())).isTrue();
      assertThat(System.nanoTime()).as("mounted in time").isLessThan(deadline);
      Thread.sleep(20);
    }
    try (FileChannel ch = FileChannel.open(mnt.resolve("p1"), StandardOpenOption.READ)) {
      Tool.ok("kill", "-INT", Long.toString(p.pid()));
      assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("the launcher returned").isTrue();
      String said = Files.readString(errFile());
      System.out.printf("SIGINT with a file open: exit %d, stderr:%n%s", p.exitValue(), said);
      assertThat(p.exitValue()).isEqualTo(130);
      assertThat(said)
          .contains(
              "cannot unmount "
                  + target
                  + " yet, held by process "
                  + ProcessHandle.current().pid()
                  + " (java), which has "
                  + mnt.resolve("p1")
                  + " open")
          .contains("serving until it is free, then unmounts it (daemon pid ");
      assertThat(ch.read(ByteBuffer.allocate(4096), 0)).as("still served").isEqualTo(4096);
    }
    while (!DaemonProcesses.serving(target).isEmpty() || MountTable.read().at(target).isPresent()) {
      assertThat(System.nanoTime()).as("unmounted once free").isLessThan(deadline);
      Thread.sleep(50);
    }
    assertPlainFolder();
    assertThat(DaemonLauncher.logFile(target))
        .as("the daemon's log, once it is done")
        .doesNotExist();
  }

  /**
   * {@code partview mount IMG MNT} in the background mode, its daemon held at INIT (mounted, never
   * answering); stderr goes to {@link #errFile}.
   *
   * @param prefix run before java, e.g. {@code env --default-signal=INT,TERM}
   */
  private Process launchWithDaemonPausedAtInit(List<String> prefix, String... jvmFlags)
      throws IOException {
    return launchWithDaemonPausedAt("init", prefix, jvmFlags);
  }

  private Process launchWithDaemonPausedAt(String stage, List<String> prefix, String... jvmFlags)
      throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(Processes.javaCommand());
    cmd.addAll(List.of(jvmFlags));
    cmd.addAll(
        List.of("-jar", Processes.jar().toString(), "mount", img.toString(), mnt.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(errFile().toFile());
    pb.environment().put("PARTVIEW_DAEMON_JAVA_OPTS", "-Dpartview.test.pauseAt=" + stage);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private Path errFile() {
    return dir.resolve("mount.err");
  }

  void assertPlainFolder() throws IOException {
    assertThat(MountTable.read().at(target)).as("in /proc/self/mountinfo").isEmpty();
    BasicFileAttributes a = Files.readAttributes(mnt, BasicFileAttributes.class); // no ENOTCONN
    assertThat(a.isDirectory()).isTrue();
    try (var s = Files.list(mnt)) {
      assertThat(s).as("the bare folder").isEmpty();
    }
    assertThat(DaemonProcesses.serving(target)).as("daemons serving " + target).isEmpty();
  }
}
