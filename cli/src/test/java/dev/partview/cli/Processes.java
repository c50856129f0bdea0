package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.testimages.Tool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers for integration tests that run the built CLI and system tools as child processes. */
final class Processes {
  private Processes() {}

  record Result(int code, String out, String err) {}

  /** The runnable jar the package phase built (failsafe runs after it, in the module directory). */
  static Path jar() {
    Path jar = Path.of("target", "partview.jar").toAbsolutePath();
    assertThat(jar).as("the shaded jar (run through mvn verify)").exists();
    return jar;
  }

  /** The launcher users run: bin/partview of this checkout. */
  static Path launcher() {
    Path bin = Path.of("..", "bin", "partview").toAbsolutePath().normalize();
    assertThat(bin).exists();
    return bin;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * {@code java} with the access options of Java 24 and later (DaemonLauncher.accessFlags), so that
   * a child JVM prints no warnings there; a new list, for the caller to add to.
   */
  static List<String> javaCommand() {
    List<String> cmd = new ArrayList<>(List.of(java()));
    cmd.addAll(DaemonLauncher.accessFlags(Runtime.version().feature()));
    return cmd;
  }

  /** {@code bin/partview ARGS...}, with the jar of this build. */
  static List<String> partview(String... args) {
    List<String> cmd = new ArrayList<>(List.of(launcher().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * {@code java -jar partview.jar ARGS...}: the jar without the launcher's JVM flags, but with the
   * access options that keep Java 24 and later from printing warnings.
   */
  static List<String> javaJar(String... args) {
    List<String> cmd = javaCommand();
    cmd.addAll(List.of("-jar", jar().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  static ProcessBuilder builder(List<String> cmd) {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("PARTVIEW_JAR", jar().toString());
    return pb;
  }

  /** Runs to completion (at most {@code timeoutSeconds}), capturing stdout and stderr as text. */
  static Result run(long timeoutSeconds, List<String> cmd)
      throws IOException, InterruptedException {
    Process p =
        builder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    // Both pipes are drained on threads: a full stderr pipe must not stall the child.
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    Thread o = drain(p.getInputStream(), out);
    Thread e = drain(p.getErrorStream(), err);
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("timed out after " + timeoutSeconds + " s: " + cmd);
    }
    o.join();
    e.join();
    return new Result(p.exitValue(), out.toString(), err.toString());
  }

  private static Thread drain(InputStream in, StringBuilder to) {
    Thread t =
        new Thread(
            () -> {
              try (in) {
                String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (to) {
                  to.append(s);
                }
              } catch (IOException e) {
                // The child is gone; what was read is all there is.
              }
            });
    t.start();
    return t;
  }

  /** SHA-256 of {@code [start, start + length)} of a file, read independently of the CLI. */
  static String sha256(Path file, long start, long length) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long pos = start;
      long end = start + length;
      while (pos < end) {
        buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
        int n = ch.read(buf, pos);
        if (n < 0) throw new IOException(file + " ends at " + pos + " before " + end);
        buf.flip();
        md.update(buf);
        pos += n;
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static String sha256(Path file) throws Exception {
    return sha256(file, 0, Files.size(file));
  }

  /** 512-byte blocks allocated to a file ({@code st_blocks}), as stat(1) reports them. */
  static long blocks(Path file) throws Exception {
    return Long.parseLong(Tool.ok("stat", "-c", "%b", file.toString()).out().strip());
  }
}
