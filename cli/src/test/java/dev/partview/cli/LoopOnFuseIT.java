package dev.partview.cli;

import static dev.partview.cli.TestLoops.device;
import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.fuse.loop.LoopStatus;
import dev.partview.fuse.loop.LoopSysfs;
import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loop devices on files of a FUSE mount: a real {@code partview mount}, and a stand-in that
 * presents itself as partview does in the mount table ({@link StandInFuseMount}, for the mount
 * without a daemon to ask): ext4 mounts from such a loop, and {@code detach IMAGE} finds loops on
 * the mount's files by the mount's source, or by what its daemon serves.
 */
class LoopOnFuseIT {
  @TempDir Path tmp;
  Path dir;
  Path image;
  Path fuseMnt;
  StandInFuseMount fuse;
  final LoopSysfs sysfs = LoopSysfs.system();

  static final StandInFuseMount.Range P1 = new StandInFuseMount.Range(63 * 512, 40000 * 512L);
  static final StandInFuseMount.Range P5 = new StandInFuseMount.Range(40126 * 512L, 20000 * 512L);

  @BeforeEach
  void setUp() throws Exception {
    IntegrationEnvironment.requireLoop();
    IntegrationEnvironment.requireFuse();
    dir = tmp.toRealPath();
    image = LegacyMbrImage.build(dir, "legacy disk.img");
    fuseMnt = Files.createDirectory(dir.resolve("pv mnt"));
  }

  @AfterEach
  void releaseOurs() throws Exception {
    if (dir == null) return;
    try {
      TestLoops.release(dir);
    } finally {
      if (fuse != null) fuse.close();
      try {
        if (realMount) {
          Processes.Result u = Processes.run(60, Processes.partview("umount", fuseMnt.toString()));
          assertThat(u.code()).as("umount: " + u.err()).isZero();
        }
      } finally {
        if (foregroundMount != null
            && !foregroundMount.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          foregroundMount.destroy(); // SIGTERM: it unmounts on its way out
          foregroundMount.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
      }
    }
  }

  boolean realMount;
  Process foregroundMount;

  /** The same stack on a real {@code partview mount}: the daemon serves the loop's reads. */
  @Test
  void ext4MountsFromALoopOnARealPartviewFileAndDetachImageFindsIt() throws Exception {
    Processes.Result m =
        Processes.run(60, Processes.partview("mount", image.toString(), fuseMnt.toString()));
    assertThat(m.code()).as(m.err()).isZero();
    realMount = true;
    Path p1 = fuseMnt.resolve("p1");
    CliRun r = CliRun.run("attach", p1.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String dev = device(r.lines().get(0));
    assertThat(sysfs.status(TestLoops.number(dev)).orElseThrow().backingFile())
        .isEqualTo(p1.toString());

    assertHelloThroughExt4(dev);
    CliRun d = CliRun.run("detach", image.toString());
    assertThat(d.code()).as(d.err()).isZero();
    assertThat(d.lines()).containsExactly(dev + " detached");
    assertThat(TestLoops.under(dir)).isEmpty();

    Processes.Result u = Processes.run(60, Processes.partview("umount", fuseMnt.toString()));
    assertThat(u.code()).as(u.err()).isZero();
    realMount = false;
  }

  @Test
  void ext4MountsFromALoopOnAFuseFileAndDetachImageFindsIt() throws Exception {
    fuse = StandInFuseMount.mount(image, fuseMnt, image.toString(), Map.of("/p1", P1, "/p5", P5));
    Path p1 = fuseMnt.resolve("p1");
    CliRun r = CliRun.run("attach", p1.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.lines()).hasSize(1);
    assertThat(r.lines().get(0)).startsWith("p1 /dev/loop");
    String dev = device(r.lines().get(0));
    LoopStatus s = sysfs.status(TestLoops.number(dev)).orElseThrow();
    assertThat(s.backingFile()).isEqualTo(p1.toString());
    assertThat(s.offset()).isZero();
    assertThat(s.sizeBytes()).isEqualTo(P1.length());

    assertHelloThroughExt4(dev);

    CliRun p5 = CliRun.run("attach", "--direct-io", fuseMnt.resolve("p5").toString());
    assertThat(p5.code()).as(p5.err()).isZero();
    assertThat(sysfs.status(TestLoops.number(device(p5.lines().get(0)))).orElseThrow().directIo())
        .as("direct I/O on a FUSE file")
        .isTrue();

    // The image itself is not the backing file of either loop: the mount's source ties them to it.
    CliRun d = CliRun.run("detach", image.toString());
    assertThat(d.code()).as(d.err()).isZero();
    assertThat(d.lines()).hasSize(2).allMatch(l -> l.endsWith(" detached"));
    assertThat(TestLoops.under(dir)).isEmpty();
  }

  /**
   * A multi-image mount's folders are tied to images by its daemon's arguments, not by name: a loop
   * on MNT/legacy disk.img/p1 of another file with the same name is not the image's.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aMultiImageMountIsMatchedByTheImagesItServesNotByTheirNames(boolean foreground)
      throws Exception {
    Path twin =
        Files.copy(image, Files.createDirectory(dir.resolve("other")).resolve(image.getFileName()));
    Path second = Files.copy(image, dir.resolve("second.img"));
    if (foreground) {
      // Relative paths from its own working directory: detach reads them from /proc.
      ProcessBuilder pb =
          Processes.builder(
                  Processes.partview(
                      "mount",
                      "--foreground",
                      "other/" + image.getFileName(),
                      "second.img",
                      "pv mnt"))
              .directory(dir.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      foregroundMount = pb.start();
      realMount = true;
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!Files.exists(fuseMnt.resolve("second.img"))) {
        assertThat(System.nanoTime()).as("mounted in time").isLessThan(deadline);
        Thread.sleep(50);
      }
    } else {
      Processes.Result m =
          Processes.run(
              60,
              Processes.partview("mount", twin.toString(), second.toString(), fuseMnt.toString()));
      assertThat(m.code()).as(m.err()).isZero();
      realMount = true;
    }
    CliRun a = CliRun.run("attach", fuseMnt.resolve("legacy disk.img/p1").toString());
    assertThat(a.code()).as(a.err()).isZero();
    String dev = device(a.lines().get(0));

    CliRun notIt = CliRun.run("detach", image.toString());
    assertThat(notIt.code()).as(notIt.err()).isZero();
    assertThat(notIt.lines()).isEmpty();
    assertThat(TestLoops.under(dir)).hasSize(1);

    CliRun d = CliRun.run("detach", twin.toString());
    assertThat(d.code()).as(d.err()).isZero();
    assertThat(d.lines()).containsExactly(dev + " detached");
    assertThat(TestLoops.under(dir)).isEmpty();
  }

  /** No daemon to ask which images a multi-image mount serves: its loops are left, with a note. */
  @Test
  void aMultiImageMountNoDaemonNamesIsLeftWithANote() throws Exception {
    fuse = StandInFuseMount.mount(image, fuseMnt, "partview", Map.of("/legacy disk.img/p1", P1));
    CliRun a = CliRun.run("attach", fuseMnt.resolve("legacy disk.img/p1").toString());
    assertThat(a.code()).as(a.err()).isZero();
    String dev = device(a.lines().get(0));

    CliRun d = CliRun.run("detach", image.toString());
    assertThat(d.code()).as(d.err()).isZero();
    assertThat(d.lines()).isEmpty();
    assertThat(d.err()).contains(dev + " is backed by").contains("left attached");
    assertThat(TestLoops.under(dir)).hasSize(1); // released after the test
  }

  /** Mounts the legacy p1's ext4 read-only from {@code dev}, reads hello.txt, and unmounts. */
  private void assertHelloThroughExt4(String dev) throws Exception {
    Path ext4 = Files.createDirectory(dir.resolve("ext4"));
    Tool.ok("mount", "-o", "ro", dev, ext4.toString());
    try {
      assertThat(Files.readString(ext4.resolve("hello.txt"))).isEqualTo(LegacyMbrImage.HELLO);
    } finally {
      Tool.ok("umount", ext4.toString());
    }
  }
}
