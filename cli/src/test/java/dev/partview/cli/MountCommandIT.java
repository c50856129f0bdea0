package dev.partview.cli;

import static dev.partview.testimages.ToolImages.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partview.fuse.FuseMount;
import dev.partview.fuse.sys.MountTable;
import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import dev.partview.testimages.ToolImages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mount's lifecycle as users drive it: the real jar, a background daemon JVM, signals, a killed
 * daemon, a busy mount, mount(8) with the helper script.
 */
class MountCommandIT {
  @TempDir Path dir;
  Path mnt;
  final List<Path> mountpoints = new ArrayList<>();
  final List<String> loops = new ArrayList<>();
  final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    IntegrationEnvironment.requireFuse();
    IntegrationEnvironment.requireTool("sfdisk");
    assertThat(Processes.jar()).as("built by mvn package").exists();
    mnt = mountpoint("mnt");
  }

  Path mountpoint(String name) throws IOException {
    Path p = Files.createDirectory(dir.resolve(name));
    mountpoints.add(p);
    return p;
  }

  @AfterEach
  void tearDown() throws Exception {
    for (String l : loops) Tool.run("losetup", "-d", l);
    for (Process p : processes) p.destroyForcibly();
    for (Path p : mountpoints) {
      String target = FuseMount.canonicalTarget(p);
      if (MountTable.read().at(target).isPresent()) partview("umount", target);
      if (MountTable.read().at(target).isPresent()) Tool.run("umount", "-l", target); // last resort
      for (ProcessHandle h : DaemonProcesses.serving(target)) h.destroyForcibly();
      assertThat(MountTable.read().at(target)).as("left mounted: " + target).isEmpty();
      Files.deleteIfExists(DaemonLauncher.logFile(target)); // a daemon killed above keeps its log
    }
  }

  /** {@code java -jar partview.jar ARGS}: the jar itself, without bin/partview's JVM flags. */
  static Processes.Result partview(String... args) throws IOException, InterruptedException {
    return Processes.run(120, Processes.javaJar(args));
  }

  /** A legacy MBR image of random bytes, other bytes for every name. */
  Path legacyImage(String name) throws IOException, InterruptedException {
    return ToolImages.legacy(dir.resolve(name), name.hashCode());
  }

  static Optional<MountTable.Entry> entry(Path mp) throws IOException {
    return MountTable.read().at(FuseMount.canonicalTarget(mp));
  }

  static long daemon(Path mp) throws IOException {
    List<ProcessHandle> ds = DaemonProcesses.serving(FuseMount.canonicalTarget(mp));
    assertThat(ds).hasSize(1);
    return ds.get(0).pid();
  }

  /** Waits until the daemon is gone (zombies count as gone) and the mount with it. */
  static void awaitGone(long pid, Path mp) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (DaemonProcesses.running(pid) || entry(mp).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "daemon " + pid + " running=" + DaemonProcesses.running(pid) + " mount=" + entry(mp));
      }
      Thread.sleep(50);
    }
  }

  static byte[] range(Path image, long start, int n) throws IOException {
    try (FileChannel ch = FileChannel.open(image)) {
      ByteBuffer bb = ByteBuffer.allocate(n);
      while (bb.hasRemaining() && ch.read(bb, start + bb.position()) > 0) {}
      return bb.array();
    }
  }

  /**
   * A setting of the mount's FUSE connection as the kernel holds it ({@code
   * /sys/fs/fuse/connections/MINOR/NAME}); fusectl is mounted for the read if nothing has it there.
   */
  static String fuseConnection(MountTable.Entry mount, String name) throws Exception {
    String connections = "/sys/fs/fuse/connections";
    boolean alreadyMounted = MountTable.read().at(connections).isPresent();
    if (!alreadyMounted) Tool.ok("mount", "-t", "fusectl", "fusectl", connections);
    try {
      // The connection is named by the whole device number; a FUSE mount's major is 0.
      String minor = mount.device().substring(mount.device().indexOf(':') + 1);
      return Files.readString(Path.of(connections, minor, name)).trim();
    } finally {
      if (!alreadyMounted) Tool.ok("umount", connections);
    }
  }

  static String status(long pid, String field) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith(field + ":")) return l.substring(field.length() + 1).strip();
    }
    return "";
  }

  @Test
  void anotherMountOfAnImageWrittenThroughOneIsWarnedAbout() throws Exception {
    Path img = legacyImage("shared.img");
    Path a = mountpoint("a");
    Path b = mountpoint("b");
    Path c = mountpoint("c");
    Processes.Result first = partview("mount", "--rw", img.toString(), a.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.err()).doesNotContain("also mounted");
    Processes.Result readOnly = partview("mount", img.toString(), b.toString());
    assertThat(readOnly.code()).as(readOnly.err()).isZero();
    assertThat(readOnly.err()).isEqualTo(warning(img, a, "read-write"));
    Processes.Result second = partview("mount", "--rw", img.toString(), c.toString());
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.err())
        .isEqualTo(warning(img, a, "read-write") + warning(img, b, "read-only"));
    umount(a);
    umount(c);
    Path d = mountpoint("d");
    Processes.Result twoReaders = partview("mount", img.toString(), d.toString());
    assertThat(twoReaders.code()).as(twoReaders.err()).isZero();
    assertThat(twoReaders.err()).as("two read-only mounts: nothing is written").isEmpty();
  }

  private static String warning(Path img, Path other, String mode) throws IOException {
    return "partview: warning: "
        + img.toRealPath()
        + " is also mounted on "
        + FuseMount.canonicalTarget(other)
        + " ("
        + mode
        + "): each mount caches what it reads, so what one writes the other can read stale\n";
  }

  private static void umount(Path mp) throws Exception {
    Processes.Result u = partview("umount", mp.toString());
    assertThat(u.code()).as(u.err()).isZero();
  }

  @Test
  void mountReturnsOnceTheMountAnswersAndTheDaemonIsDetached() throws Exception {
    Path img = legacyImage("disk.img");
    Processes.Result r = partview("mount", img.toString(), mnt.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    // No waiting: the files are there when the command returns.
    assertThat(Files.readAllBytes(mnt.resolve("p1"))).isEqualTo(range(img, 32256, 40000 * 512));
    MountTable.Entry e = entry(mnt).orElseThrow();
    assertThat(e.type()).isEqualTo("fuse.partview");
    assertThat(e.source()).isEqualTo(img.toRealPath().toString());
    assertThat(e.options()).startsWith("ro");
    // Root raises the mount's read-ahead before announcing it, with room in flight for all of it
    // (ReadAhead).
    assertThat(Files.readString(Path.of("/sys/class/bdi", e.device(), "read_ahead_kb")).trim())
        .isEqualTo("2048");
    assertThat(fuseConnection(e, "max_background")).isEqualTo("24");

    long pid = daemon(mnt);
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    assertThat(f[3]).as("session id").isEqualTo(Long.toString(pid)); // setsid: its own session
    assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd"))).isEqualTo(Path.of("/"));
    long rssKib = Long.parseLong(status(pid, "VmRSS").split("\\s+")[0]);
    assertThat(rssKib).as("daemon RSS KiB").isLessThan(160 * 1024);

    Processes.Result u = partview("umount", mnt.toString());
    assertThat(u.code()).as(u.err()).isZero();
    awaitGone(pid, mnt);
  }

  /**
   * A truncated image is served as far as it goes, and the mount says what list says: which
   * partitions run past its end (one of them then shorter than the table says, or empty).
   */
  @Test
  void aTruncatedImageIsServedWithListsWarnings() throws Exception {
    Path img = Files.createFile(dir.resolve("cut.img"));
    Tool.ok("truncate", "-s", "64M", img.toString());
    Tool.okWithInput(
        "start=2048,size=8192,type=83\nstart=10240,size=8192,type=83\n",
        "sfdisk",
        "-q",
        img.toString());
    Tool.ok("truncate", "-s", "6M", img.toString()); // p2 (5 MiB..9 MiB) now ends past the end
    Processes.Result r = partview("mount", img.toString(), mnt.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String real = img.toRealPath().toString();
    assertThat(r.err().lines())
        .contains(
            "partview: warning: "
                + real
                + ": p2 (bytes 5242880..9437183) ends beyond the end of the image (6291456 bytes)"
                + " (offset 5242880)");
    assertThat(Files.size(mnt.resolve("p1"))).isEqualTo(4 * MIB);
    assertThat(Files.size(mnt.resolve("p2"))).as("served as far as the image goes").isEqualTo(MIB);
    assertThat(partview("umount", mnt.toString()).code()).isZero();
  }

  @Test
  void sigtermAndSighupUnmountCleanly() throws Exception {
    Path img = legacyImage("disk.img");
    for (String sig : List.of("TERM", "HUP")) {
      assertThat(partview("mount", img.toString(), mnt.toString()).code()).isZero();
      long pid = daemon(mnt);
      Tool.ok("kill", "-" + sig, Long.toString(pid));
      awaitGone(pid, mnt);
      try (var s = Files.list(mnt)) {
        assertThat(s).as("the bare folder again").isEmpty();
      }
    }
  }

  @Test
  void sigintUnmountsEvenWhenStartedFromABackgroundJob() throws Exception {
    Path img = legacyImage("disk.img");
    // A shell starts background jobs with SIGINT ignored, and the daemon inherits that.
    String cmd = String.join(" ", Processes.javaJar("mount", img.toString(), mnt.toString()));
    Tool r = Tool.run("bash", "-c", cmd + " & wait $!");
    assertThat(r.exitCode()).as(r.err()).isZero();
    long pid = daemon(mnt);
    Tool.ok("kill", "-INT", Long.toString(pid));
    awaitGone(pid, mnt);
  }

  @Test
  void foregroundServesUntilInterrupted() throws Exception {
    Path img = legacyImage("disk.img");
    String cmd =
        String.join(
            " ", Processes.javaJar("mount", "--foreground", img.toString(), mnt.toString()));
    // Background job (SIGINT ignored), its pid on stdout, then wait for it.
    Process p = new ProcessBuilder("bash", "-c", cmd + " & echo $!; wait $!").start();
    processes.add(p);
    var stdout =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    long pid = Long.parseLong(stdout.readLine().strip());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(mnt.resolve("p1"))) {
      assertThat(System.nanoTime()).as("mounted in time").isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(Files.size(mnt.resolve("p5"))).isEqualTo(20000 * 512);
    Tool.ok("kill", "-INT", Long.toString(pid));
    awaitGone(pid, mnt);
    assertThat(p.waitFor()).isEqualTo(130);
  }

  @Test
  void aKilledDaemonLeavesADeadMountThatUmountRemoves() throws Exception {
    Path img = legacyImage("disk.img");
    assertThat(partview("mount", img.toString(), mnt.toString()).code()).isZero();
    long pid = daemon(mnt);
    Tool.ok("kill", "-KILL", Long.toString(pid));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (DaemonProcesses.running(pid)) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(20);
    }
    // ENOTCONN; a request caught in flight when the daemon died gets ECONNABORTED instead.
    assertThatThrownBy(() -> Files.list(mnt).close())
        .isInstanceOf(FileSystemException.class)
        .message()
        .containsAnyOf("Transport endpoint is not connected", "Software caused connection abort");
    assertThat(entry(mnt)).isPresent();
    Path log = DaemonLauncher.logFile(FuseMount.canonicalTarget(mnt));
    assertThat(log).as("the killed daemon's log").exists();

    Processes.Result u = partview("umount", mnt.toString());
    assertThat(u.code()).as(u.err()).isZero();
    assertThat(u.err()).contains("dead mount").contains("its daemon had died");
    assertThat(entry(mnt)).isEmpty();
    assertThat(log).as("removed with the dead mount").doesNotExist();
  }

  /**
   * A stopped daemon answers nothing, so anything that stats the mount waits for ever: umount and
   * mount must not, and must say what to do.
   */
  @Test
  void umountAndMountOverAStoppedDaemonSayWhyInsteadOfHanging() throws Exception {
    Path img = legacyImage("disk.img");
    assertThat(partview("mount", img.toString(), mnt.toString()).code()).isZero();
    long pid = daemon(mnt);
    Tool.ok("kill", "-STOP", Long.toString(pid));
    try {
      Processes.Result u = Processes.run(30, Processes.javaJar("umount", mnt.toString()));
      assertThat(u.code()).as(u.err()).isEqualTo(ExitCodes.RUNTIME);
      assertThat(u.err())
          .contains("stopped daemon " + pid + " does not answer")
          .contains("kill -CONT " + pid)
          .contains("kill -KILL " + pid)
          .doesNotContain("(kill " + pid); // a SIGTERM would wait, pending, until continued
      Processes.Result m =
          Processes.run(30, Processes.javaJar("mount", img.toString(), mnt.toString()));
      assertThat(m.code()).as(m.err()).isEqualTo(ExitCodes.RUNTIME);
      assertThat(m.err()).contains("stopped daemon " + pid + " does not answer");
    } finally {
      Tool.ok("kill", "-CONT", Long.toString(pid));
    }
    Processes.Result u = partview("umount", mnt.toString());
    assertThat(u.code()).as(u.err()).isZero();
    assertThat(entry(mnt)).isEmpty();
  }

  @Test
  void mountOverADeadMountRemovesItFirst() throws Exception {
    Path img = legacyImage("disk.img");
    assertThat(partview("mount", img.toString(), mnt.toString()).code()).isZero();
    long pid = daemon(mnt);
    Tool.ok("kill", "-KILL", Long.toString(pid));
    while (DaemonProcesses.running(pid)) Thread.sleep(20);

    Processes.Result r = partview("mount", img.toString(), mnt.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("removed a dead partview mount");
    assertThat(Files.readAllBytes(mnt.resolve("p2")))
        .isEqualTo(range(img, 40063 * 512, 20000 * 512));
    // A live one is not replaced.
    Processes.Result again = partview("mount", img.toString(), mnt.toString());
    assertThat(again.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err()).contains("already a partview mount").contains("partview umount");
  }

  @Test
  void aDeadMountHeldByAProcessSaysWhatToRun() throws Exception {
    Path img = legacyImage("disk.img");
    assertThat(partview("mount", img.toString(), mnt.toString()).code()).isZero();
    String target = FuseMount.canonicalTarget(mnt);
    // A shell that was inside when the daemon died keeps the dead mount busy.
    Process inside =
        new ProcessBuilder("sleep", "60").directory(mnt.resolve("by-label").toFile()).start();
    processes.add(inside);
    long pid = daemon(mnt);
    Tool.ok("kill", "-KILL", Long.toString(pid));
    while (DaemonProcesses.running(pid)) Thread.sleep(20);
    String holder =
        "process "
            + inside.pid()
            + " (sleep), which has its working directory in "
            + mnt.resolve("by-label");

    Processes.Result m = partview("mount", img.toString(), mnt.toString());
    assertThat(m.code()).as(m.err()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(m.err())
        .contains("a dead partview mount")
        .contains(holder)
        .contains("run partview umount " + target);
    assertThat(m.err().lines()).hasSize(1);
    Processes.Result u = partview("umount", mnt.toString());
    assertThat(u.code()).as(u.err()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(u.err()).contains("busy").contains(holder).contains("run partview umount " + target);
    assertThat(entry(mnt)).isPresent();

    // Once it lets go, what the message said works; so does mounting again.
    inside.destroyForcibly().waitFor();
    Processes.Result u2 = partview("umount", mnt.toString());
    assertThat(u2.code()).as(u2.err()).isZero();
    assertThat(u2.err()).contains("its daemon had died");
    assertThat(entry(mnt)).isEmpty();
    assertThat(partview("mount", img.toString(), mnt.toString()).code()).isZero();
    assertThat(Files.readAllBytes(mnt.resolve("p2")))
        .isEqualTo(range(img, 40063 * 512, 20000 * 512));
  }

  @Test
  void umountOfABusyMountSaysWhatHoldsIt() throws Exception {
    IntegrationEnvironment.requireLoop();
    IntegrationEnvironment.requireTool("mkfs.ext4");
    Path img = ToolImages.ext4(dir, "hi\n");
    assertThat(partview("mount", img.toString(), mnt.toString()).code()).isZero();
    String loop =
        Tool.ok("losetup", "-r", "--show", "-f", mnt.resolve("p1").toString()).out().strip();
    loops.add(loop);

    Processes.Result busy = partview("umount", mnt.toString());
    assertThat(busy.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(busy.err())
        .contains("busy")
        .contains(loop + " (backing " + mnt.resolve("p1") + ")")
        .contains("partview detach " + loop);
    assertThat(busy.err().lines()).hasSize(1);
    // Still mounted (the same mount: not lazily detached) and serving: the loop keeps working.
    int id = entry(mnt).orElseThrow().id();
    assertThat(Tool.ok("blkid", "-o", "value", "-s", "TYPE", loop).out().strip()).isEqualTo("ext4");

    Tool.ok("losetup", "-d", loop);
    loops.remove(loop);
    // A process with its working directory inside.
    Process sleeper =
        new ProcessBuilder("sleep", "60").directory(mnt.resolve("by-label").toFile()).start();
    processes.add(sleeper);
    Processes.Result busy2 = partview("umount", mnt.toString());
    assertThat(busy2.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(busy2.err())
        .contains(
            "process "
                + sleeper.pid()
                + " (sleep), which has its working directory in "
                + mnt.resolve("by-label"));
    assertThat(busy2.err().lines()).hasSize(1);
    assertThat(entry(mnt).orElseThrow().id()).isEqualTo(id);
    assertThat(range(mnt.resolve("p1"), 1080, 2)).as("ext4 magic").containsExactly(0x53, 0xEF);
    sleeper.destroyForcibly().waitFor();

    // A file held open.
    Process reader =
        new ProcessBuilder("sleep", "60")
            .redirectInput(ProcessBuilder.Redirect.from(mnt.resolve("p1").toFile()))
            .start();
    processes.add(reader);
    Processes.Result busy3 = partview("umount", mnt.toString());
    assertThat(busy3.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(busy3.err())
        .contains(mnt + " is busy")
        .contains("process " + reader.pid() + " (sleep), which has " + mnt.resolve("p1") + " open");
    assertThat(busy3.err().lines()).hasSize(1);
    assertThat(entry(mnt).orElseThrow().id()).isEqualTo(id);
    assertThat(range(mnt.resolve("p1"), 1080, 2)).as("ext4 magic").containsExactly(0x53, 0xEF);
    reader.destroyForcibly().waitFor();

    assertThat(partview("umount", mnt.toString()).code()).isZero();
    assertThat(entry(mnt)).isEmpty();
  }

  /** Two mounts started on one folder at once: one mounts, the other is refused; no leftovers. */
  @Test
  void twoMountsOnOneFolderAtOnceTakeTurns() throws Exception {
    Path a = legacyImage("a.img");
    Path b = legacyImage("b.img");
    String target = FuseMount.canonicalTarget(mnt);
    for (int round = 0; round < 2; round++) {
      var first =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> mountQuietly(a.toString(), mnt.toString()));
      Processes.Result second = mountQuietly(b.toString(), mnt.toString());
      List<Processes.Result> both = List.of(first.get(), second);
      assertThat(both).extracting(Processes.Result::code).containsExactlyInAnyOrder(0, 2);
      Processes.Result lost = both.get(0).code() == 2 ? both.get(0) : both.get(1);
      assertThat(lost.err()).contains("is already a partview mount").doesNotContain(".log");
      assertThat(entry(mnt)).isPresent();
      String winner = both.get(0).code() == 0 ? a.toString() : b.toString();
      assertThat(entry(mnt).get().source()).isEqualTo(winner);
      assertThat(DaemonProcesses.serving(target)).hasSize(1);
      assertThat(partview("umount", mnt.toString()).code()).isZero();
    }
    assertThat(Path.of(DaemonLauncher.logFile(target) + ".lock")).doesNotExist();
  }

  /**
   * An unmount from another shell that races the mount ends it as it starts, at either of two
   * moments: as soon as the mount shows in mountinfo (before the daemon saw it answer), or as soon
   * as the daemon announced it (before this command checked it too). {@code partview mount} says
   * which, in one line, and leaves no daemon, log or lock behind.
   */
  @Test
  void anUnmountRacingTheMountIsNamedAndLeavesNothing() throws Exception {
    Path img = legacyImage("disk.img");
    String target = FuseMount.canonicalTarget(mnt);
    Path log = DaemonLauncher.logFile(target);
    for (boolean announced : List.of(false, true, false, true)) {
      var racer =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> unmountAsSoonAs(target, log, announced));
      Processes.Result r = partview("mount", img.toString(), mnt.toString());
      assertThat(racer.get()).as("the racer unmounted").isTrue();
      if (r.code() == 0) {
        // won by the mount, or lost after the daemon announced it: the note says which
        assertThat(r.err())
            .isIn(
                "",
                "partview: the mount on "
                    + target
                    + " answered, then was unmounted by another command\n");
      } else {
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err())
            .isEqualTo(
                "partview: the mount on "
                    + target
                    + " was unmounted by another command as it started\n");
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!DaemonProcesses.serving(target).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(DaemonProcesses.serving(target)).as("daemon left").isEmpty();
      assertThat(entry(mnt)).isEmpty();
      assertThat(log).doesNotExist();
      assertThat(Path.of(log + ".lock")).doesNotExist();
    }
  }

  /**
   * Mounts made and removed elsewhere meanwhile (automounts, containers, other partview mounts)
   * free mount ids that the kernel hands to the next mount, lowest first: the new mount must still
   * be recognized as ours. It was not, when the daemon told its mount apart from every mount that
   * existed before: half the mounts then waited 40 s, failed, and left a dead mount.
   */
  @Test
  void mountsComingAndGoingElsewhereDoNotHideTheNewMount() throws Exception {
    IntegrationEnvironment.requireRoot();
    Path img = legacyImage("disk.img");
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Path running = dir.resolve("churn.on");
    Files.createFile(running);
    Process churn =
        new ProcessBuilder(
                "bash",
                "-c",
                "while [ -e \"$1\" ]; do mount -t tmpfs churn \"$2\" && umount \"$2\"; done",
                "churn",
                running.toString(),
                elsewhere.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    processes.add(churn);
    try {
      for (int i = 0; i < 4; i++) {
        long t0 = System.nanoTime();
        Processes.Result r = partview("mount", img.toString(), mnt.toString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(ms).as("ms until mounted").isLessThan(20_000);
        Processes.Result u = partview("umount", mnt.toString());
        assertThat(u.code()).as(u.err()).isZero();
        assertThat(entry(mnt)).isEmpty();
      }
    } finally {
      Files.deleteIfExists(running);
      churn.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      String target = FuseMount.canonicalTarget(elsewhere);
      while (MountTable.read().at(target).isPresent()) Tool.ok("umount", target);
    }
  }

  /** Polls (1 ms) for the moment, then runs umount(8) on the folder; false if it never came. */
  static boolean unmountAsSoonAs(String target, Path log, boolean announced) {
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        boolean now = announced ? saysReady(log) : MountTable.read().at(target).isPresent();
        if (now) {
          // busy for a moment while the daemon's or the launcher's probe stats the mount
          while (MountTable.read().at(target).isPresent() && System.nanoTime() < deadline) {
            Tool.run("umount", target);
            Thread.sleep(5);
          }
          return MountTable.read().at(target).isEmpty();
        }
        Thread.sleep(1);
      }
      return false;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean saysReady(Path log) throws IOException {
    try {
      return Files.readString(log).contains(DaemonLauncher.READY_LINE);
    } catch (java.nio.file.NoSuchFileException e) {
      return false; // not made yet, or gone again
    }
  }

  static Processes.Result mountQuietly(String... args) {
    try {
      List<String> cmd = new ArrayList<>(List.of("mount"));
      cmd.addAll(List.of(args));
      return partview(cmd.toArray(String[]::new));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void severalImagesOneFolderEachAndTwinNamesRefused() throws Exception {
    Path a = legacyImage("a.img");
    Path b = Files.createSymbolicLink(dir.resolve("b.img"), legacyImage("b-target.img"));
    Processes.Result r =
        partview("mount", "--view", "head=0:1M", a.toString(), b.toString(), mnt.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(entry(mnt).orElseThrow().source()).isEqualTo("partview");
    try (var names = Files.list(mnt)) {
      assertThat(names.map(p -> p.getFileName().toString()))
          .as("folders named as the images were given, a symlink's own name included")
          .containsExactlyInAnyOrder("a.img", "b.img");
    }
    assertThat(Files.readAllBytes(mnt.resolve("b.img/p5")))
        .isEqualTo(range(b, 60126 * 512, 20000 * 512));
    assertThat(Files.readAllBytes(mnt.resolve("a.img/head"))).isEqualTo(range(a, 0, MIB));
    assertThat(partview("umount", mnt.toString()).code()).isZero();

    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path twin = Files.copy(a, sub.resolve("a.img"));
    Processes.Result twins = partview("mount", a.toString(), twin.toString(), mnt.toString());
    assertThat(twins.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(twins.err()).contains("two images are named 'a.img'");
  }

  @Test
  void badInputIsOneLineWithTheContractsExitCode() throws Exception {
    Path img = legacyImage("disk.img");
    expect(
        ExitCodes.RUNTIME,
        "no such file",
        "mount",
        dir.resolve("none.img").toString(),
        mnt.toString());
    expect(
        ExitCodes.USAGE,
        "no such directory",
        "mount",
        img.toString(),
        dir.resolve("nodir/x").toString());
    Path full = mountpoint("full");
    Files.writeString(full.resolve("x"), "x");
    expect(ExitCodes.USAGE, "not empty", "mount", img.toString(), full.toString());
    assertThat(DaemonLauncher.logFile(FuseMount.canonicalTarget(full)))
        .as("a failed daemon's log, once relayed")
        .doesNotExist();
    Processes.Result over = partview("mount", "-o", "nonempty", img.toString(), full.toString());
    assertThat(over.code()).as("libfuse's nonempty: " + over.err()).isZero();
    assertThat(full.resolve("p1")).exists();
    assertThat(partview("umount", full.toString()).code()).isZero();
    Files.delete(full.resolve("x"));
    expect(
        ExitCodes.USAGE,
        "no such directory",
        "mount",
        img.toString(),
        dir.resolve("missing").toString());
    expect(ExitCodes.RUNTIME, "no such directory", "umount", dir.resolve("missing").toString());
    expect(
        ExitCodes.USAGE,
        "not a sector size",
        "mount",
        "--sector-size",
        "0",
        img.toString(),
        mnt.toString());
    expect(ExitCodes.USAGE, "use --rw", "mount", "-o", "rw", img.toString(), mnt.toString());
    expect(ExitCodes.USAGE, "fsname", "mount", "-o", "fsname=x", img.toString(), mnt.toString());
    Processes.Result bogus = partview("mount", "-o", "bogusopt", img.toString(), mnt.toString());
    assertThat(bogus.code()).as(bogus.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(bogus.err().lines()).containsExactly("partview: -o bogusopt: not a FUSE option");
    // Options libfuse knows but refuses, and ones the kernel refuses: one line each, too.
    for (var refused :
        List.of(
            List.of("uid=abc", "partview: -o uid=abc: not a valid value"),
            List.of(
                "allow_other,allow_root",
                "partview: -o allow_other,allow_root: 'allow_other' and 'allow_root' options are"
                    + " mutually exclusive"),
            List.of(
                "context=x", "partview: -o context=x: refused by the kernel (Invalid argument)"))) {
      Processes.Result r = partview("mount", "-o", refused.get(0), img.toString(), mnt.toString());
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().lines()).containsExactly(refused.get(1));
    }
    expect(
        ExitCodes.USAGE, "past the end", "mount", "--view", "x=1G", img.toString(), mnt.toString());
    expect(
        ExitCodes.USAGE,
        "reserved for partition files",
        "mount",
        "--view",
        "p1=0",
        img.toString(),
        mnt.toString());
    expect(ExitCodes.RUNTIME, "not mounted", "umount", mnt.toString());
    Path fifo = dir.resolve("fifo.img");
    Tool.ok("mkfifo", fifo.toString()); // opening it would wait for a writer
    expect(
        ExitCodes.RUNTIME,
        "not a regular file or block device (a FIFO)",
        "mount",
        fifo.toString(),
        mnt.toString());

    // A protective MBR that promises a GPT which is not there: a corrupt table.
    Path bad = dir.resolve("bad.img");
    Tool.ok("truncate", "-s", "8M", bad.toString());
    Tool.ok("sh", "-c", "printf 'type=ee\\n' | sfdisk -q -X dos " + bad);
    Processes.Result r = partview("mount", bad.toString(), mnt.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_TABLE);
    assertThat(r.err()).startsWith("partview: " + bad.toRealPath()).contains("offset");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(entry(mnt)).isEmpty();

    // No table at all: still mounted, as disk and offset/.
    Path blank = dir.resolve("blank.img");
    Tool.ok("truncate", "-s", "8M", blank.toString());
    Processes.Result ok = partview("mount", blank.toString(), mnt.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.err()).contains("no partition table");
    try (var s = Files.list(mnt)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("disk", "offset", "by-label", "by-partuuid");
    }
  }

  void expect(int code, String text, String... args) throws Exception {
    Processes.Result r = partview(args);
    assertThat(r.code()).as(Arrays.toString(args) + ": " + r.err()).isEqualTo(code);
    assertThat(r.err()).as(Arrays.toString(args)).contains(text);
    assertThat(r.err().lines().count()).as(r.err()).isLessThanOrEqualTo(2);
  }

  @Test
  void mountAndFstabWorkThroughTheHelper() throws Exception {
    Path link = Path.of("/sbin/mount.fuse.partview");
    boolean made = false;
    if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(link, Processes.launcher().resolveSibling("mount.fuse.partview"));
      made = true;
    }
    try {
      Path img = legacyImage("disk.img");
      Tool r = Tool.run("mount", "-t", "fuse.partview", "-o", "ro", img.toString(), mnt.toString());
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(Files.readAllBytes(mnt.resolve("p5")))
          .isEqualTo(range(img, 60126 * 512, 20000 * 512));
      assertThat(entry(mnt).orElseThrow().options()).startsWith("ro");
      long pid = daemon(mnt);
      assertThat(Tool.run("umount", mnt.toString()).exitCode()).isZero();
      awaitGone(pid, mnt);

      Path fstab = dir.resolve("fstab");
      Files.writeString(
          fstab, img + " " + mnt + " fuse.partview ro,noauto,view=boot=63s:1M,x-test=1 0 0\n");
      Tool f = Tool.run("mount", "-T", fstab.toString(), mnt.toString());
      assertThat(f.exitCode()).as(f.err()).isZero();
      assertThat(Files.readAllBytes(mnt.resolve("boot"))).isEqualTo(range(img, 32256, MIB));
      assertThat(Tool.run("umount", mnt.toString()).exitCode()).isZero();
    } finally {
      if (made) Files.delete(link);
    }
  }
}
