package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.fuse.FuseMount;
import dev.partview.fuse.sys.MountTable;
import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/partview on the newest JDK of this machine (the one running the tests, or a later one under
 * /usr/lib/jvm), with a class-data-sharing archive that the build's script made with that JDK, as a
 * build on it would. Java 24 and later print WARNING lines on stderr when a library loads native
 * code or uses sun.misc.Unsafe, unless the command line allows it, and CDS logs an error when the
 * archive was dumped with other module options than the run has: partview's output must stay the
 * same on every Java it supports ("Java 17 or later").
 */
class NewestJavaIT {
  private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

  /** What a JVM says when it is not content: warnings of Java 24+, {@code -Xlog} lines. */
  private static final Pattern JVM_COMPLAINT = Pattern.compile("WARNING|\\[(error|warning)\\]");

  @TempDir Path tmp;
  private Path dir;
  private String mountTarget;

  @AfterEach
  void release() throws Exception {
    if (mountTarget != null && MountTable.read().at(mountTarget).isPresent()) {
      Tool.run("fusermount", "-u", "-z", mountTarget);
    }
    if (dir != null) TestLoops.release(dir);
  }

  record Jdk(Path home, int feature) {}

  /** The JDK with the highest feature version among this JVM's and those under /usr/lib/jvm. */
  static Jdk newestJdk() throws IOException {
    List<Path> homes = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(jvms)) {
        s.forEach(homes::add);
      }
    }
    Jdk newest = new Jdk(homes.get(0), Runtime.version().feature());
    for (Path home : homes) {
      Path release = home.resolve("release");
      if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isRegularFile(release)) continue;
      Matcher m = VERSION.matcher(Files.readString(release));
      if (m.find() && Integer.parseInt(m.group(1)) > newest.feature()) {
        newest = new Jdk(home, Integer.parseInt(m.group(1)));
      }
    }
    return newest;
  }

  @Test
  void everyCommandIsQuietOnTheNewestJava() throws Exception {
    IntegrationEnvironment.requireFuse();
    IntegrationEnvironment.requireLoop();
    dir = tmp.toRealPath();
    Path image = LegacyMbrImage.build(dir, "disk.img");
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    Jdk jdk = newestJdk();
    System.out.println(
        "NewestJavaIT: " + jdk); // on a machine with Java 17 alone, 17 is all it checks
    Path jar = Files.copy(Processes.jar(), dir.resolve("partview.jar"));
    Tool.ok("src/build/cds-archive.sh", jdk.home().resolve("bin/java").toString(), jar.toString());
    assertThat(dir.resolve("partview.jsa")).as("the archive made with " + jdk).exists();

    quiet(jdk, jar, "list", image.toString());
    quiet(jdk, jar, "extract", image.toString(), "p1", "-o", dir.resolve("p1.img").toString());
    quiet(jdk, jar, "extract", image.toString(), "p5", "-o", "-", "--sha256");
    quiet(jdk, jar, "attach", image.toString(), "p1");
    quiet(jdk, jar, "detach", image.toString());

    mountTarget = FuseMount.canonicalTarget(mnt);
    quiet(jdk, jar, "mount", image.toString(), mnt.toString());
    // The background daemon is a JVM of its own, started with its own flags; its output is its log.
    String log = Files.readString(DaemonLauncher.logFile(mountTarget));
    assertThat(log).as("the daemon's log on " + jdk).doesNotContainPattern(JVM_COMPLAINT);
    assertThat(Files.size(mnt.resolve("p1"))).isEqualTo(LegacyMbrImage.DATA[0][2] * 512);
    quiet(jdk, jar, "umount", mnt.toString());
  }

  private static void quiet(Jdk jdk, Path jar, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("env", "JAVA_HOME=" + jdk.home(), "PARTVIEW_JAR=" + jar));
    cmd.addAll(Processes.partview(args));
    Processes.Result r = Processes.run(120, cmd);
    String what = String.join(" ", args) + " on " + jdk;
    assertThat(r.code()).as(what + ": " + r.err()).isZero();
    assertThat(r.err()).as(what).doesNotContainPattern(JVM_COMPLAINT);
  }
}
