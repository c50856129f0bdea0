package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.cli.MbrImage.Entry;
import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a process: as an unprivileged user, and killed in the middle of a copy. */
class ExtractProcessIT {
  @TempDir Path dir;

  /** An MBR image whose p1 (from 1 MiB to the end) is {@code mib} MiB of non-zero bytes. */
  static Path dataImage(Path img, int mib) throws IOException {
    long size = (mib + 1L) << 20;
    try (MbrImage m = MbrImage.create(img, size, new Entry(0x83, 2048, (size >> 9) - 2048))) {
      // Noise that is fast to make: one random MiB, each copy shifted by its index.
      byte[] block = new byte[1 << 20];
      new Random(11).nextBytes(block);
      for (int i = 0; i < mib; i++) {
        block[i % block.length] ^= (byte) (i + 1);
        m.put((i + 1L) << 20, block);
      }
    }
    return img;
  }

  static List<String> entries(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void nobodyExtractsAReadableImageWithoutPrivileges() throws Exception {
    IntegrationEnvironment.requireRoot();
    IntegrationEnvironment.requireTool("runuser");
    // A world-readable and -writable directory: the jar, the image, and room for the output.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path jar = Files.copy(Processes.jar(), dir.resolve("partview.jar"));
    Path img = dataImage(dir.resolve("disk.img"), 32);
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(img, PosixFilePermissions.fromString("rw-r--r--"));
    Path out = dir.resolve("p1.img");

    Processes.Result r =
        asNobody(jar, "extract", img.toString(), "p1", "-o", out.toString(), "--sha256");
    assertThat(r.code()).as(r.err()).isZero();
    String expected = Processes.sha256(img, 1 << 20, 32L << 20);
    assertThat(r.out().strip()).isEqualTo(expected + "  " + out);
    assertThat(Processes.sha256(out)).isEqualTo(expected);
    assertThat(Files.getAttribute(out, "unix:uid")).isEqualTo(65534);

    // An image nobody cannot read: one line, exit 1, naming the image.
    Files.setPosixFilePermissions(img, PosixFilePermissions.fromString("rw-------"));
    Processes.Result denied =
        asNobody(jar, "extract", img.toString(), "p1", "-o", dir.resolve("no.img").toString());
    assertThat(denied.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(denied.err().strip()).isEqualTo("partview: " + img + ": permission denied");
  }

  /** {@code java -jar JAR ARGS...} as user nobody. */
  private static Processes.Result asNobody(Path jar, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
    cmd.addAll(Processes.javaCommand());
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(List.of(args));
    return Processes.run(120, cmd);
  }

  @Test
  void sigtermAndSigintLeaveNeitherTheFileNorTheHiddenCopy() throws Exception {
    Path img = dataImage(dir.resolve("big.img"), 2048);
    Path outDir = Files.createDirectory(dir.resolve("out"));
    for (String signal : new String[] {"TERM", "INT"}) {
      Process p = startAndWaitForTheHiddenFile(img, outDir.resolve("p1.img"));
      Tool.ok("kill", "-" + signal, Long.toString(p.pid()));
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("killed by SIG" + signal + " mid-way").isNotZero();
      assertThat(entries(outDir)).as("after SIG" + signal).isEmpty();
    }
  }

  @Test
  void sigkillCanLeaveOnlyTheHiddenCopyNeverTheFile() throws Exception {
    Path img = dataImage(dir.resolve("big.img"), 2048);
    Path outDir = Files.createDirectory(dir.resolve("out"));
    Process p = startAndWaitForTheHiddenFile(img, outDir.resolve("p1.img"));
    p.destroyForcibly();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(entries(outDir)).allMatch(n -> n.startsWith(".p1.img.partview-"));
    // A rerun is not confused by the leftover and produces the file.
    Processes.Result r =
        Processes.run(
            120,
            Processes.partview(
                "extract", img.toString(), "1", "-o", outDir.resolve("p1.img").toString()));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Processes.sha256(outDir.resolve("p1.img")))
        .isEqualTo(Processes.sha256(img, 1 << 20, 2048L << 20));
  }

  /** Whether {@code f} has blocks allocated; false once it is gone. */
  private static boolean holdsData(Path f) throws Exception {
    Tool stat = Tool.run("stat", "-c", "%b", f.toString());
    return stat.exitCode() == 0 && Long.parseLong(stat.out().strip()) > 0;
  }

  /** Starts an extraction and returns once its hidden file holds data (the copy is under way). */
  static Process startAndWaitForTheHiddenFile(Path img, Path out) throws Exception {
    // env --default-signal: a child of a background job may inherit SIGINT ignored, and the JVM
    // leaves an ignored SIGINT alone; users at a terminal never have it ignored.
    List<String> cmd = new java.util.ArrayList<>(List.of("env", "--default-signal=INT,TERM"));
    cmd.addAll(Processes.partview("extract", img.toString(), "1", "-o", out.toString()));
    Process p =
        Processes.builder(cmd)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Stream<Path> s = Files.list(out.getParent())) {
        for (Path f : s.toList()) {
          // Blocks, not size: the copy gives the file its full length before any data moves.
          if (f.getFileName().toString().startsWith("." + out.getFileName() + ".partview-")
              && holdsData(f)) {
            return p;
          }
        }
      } catch (java.nio.file.NoSuchFileException e) {
        // the file vanished between list and size: look again
      }
      if (!p.isAlive()) throw new AssertionError("extraction ended before it could be interrupted");
      Thread.sleep(2);
    }
    p.destroyForcibly();
    throw new AssertionError("no hidden output file appeared");
  }

  @Test
  void aTerminalGetsAProgressBarOnStderrUnlessQuiet() throws Exception {
    IntegrationEnvironment.requireTool("script");
    Path img = dataImage(dir.resolve("t.img"), 64);
    String launcher = Processes.launcher().toString();
    // script(1) gives the command a pseudo-terminal; stdout is a file, only stderr is the tty.
    Processes.Result shown =
        Processes.run(
            120,
            List.of(
                "script",
                "-qec",
                launcher + " extract " + img + " 1 -o " + dir.resolve("a.img") + " 2>&1 >/dev/null",
                "/dev/null"));
    assertThat(shown.code()).as(shown.err()).isZero();
    assertThat(shown.out()).contains("p1 100%").contains("64/64MiB");
    Processes.Result quiet =
        Processes.run(
            120,
            List.of(
                "script",
                "-qec",
                launcher + " extract " + img + " 1 -o " + dir.resolve("b.img") + " --quiet",
                "/dev/null"));
    assertThat(quiet.code()).as(quiet.err()).isZero();
    assertThat(quiet.out()).doesNotContain("%");
    assertThat(Processes.sha256(dir.resolve("a.img")))
        .isEqualTo(Processes.sha256(dir.resolve("b.img")));
  }

  @Test
  void aFullOutputFilesystemFailsAtTheOutputOffsetAndLeavesNothing() throws Exception {
    IntegrationEnvironment.requireRoot();
    Path img = dataImage(dir.resolve("d.img"), 16);
    Path small = Files.createDirectory(dir.resolve("small"));
    Tool.ok("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", small.toString());
    try {
      Processes.Result r =
          Processes.run(
              120,
              Processes.partview(
                  "extract", img.toString(), "1", "-o", small.resolve("p1.img").toString()));
      assertThat(r.code()).isEqualTo(ExitCodes.RUNTIME);
      assertThat(r.err().strip())
          .startsWith("partview: " + img + " p1: write error at output byte 8388608: ")
          .doesNotContain("\n");
      assertThat(entries(small)).isEmpty();
    } finally {
      Tool.ok("umount", small.toString());
    }
  }

  @Test
  void theOutputIsCreatedWithTheUsualModeNotTheTemporaryFilesOwnerOnlyOne() throws Exception {
    Path img = dataImage(dir.resolve("m.img"), 1);
    Path out = dir.resolve("mode.img");
    Processes.Result r =
        Processes.run(
            120,
            List.of(
                "sh",
                "-c",
                "umask 022 && exec \"$0\" \"$@\"",
                Processes.launcher().toString(),
                "extract",
                img.toString(),
                "1",
                "-o",
                out.toString()));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-r--r--");
  }
}
