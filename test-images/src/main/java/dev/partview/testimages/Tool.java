package dev.partview.testimages;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a system tool (sfdisk, sgdisk, mkfs.*, losetup, mount, …) for the tests of every
 * module: a UTF-8 C locale (stable messages and JSON), {@code /usr/sbin:/sbin} on the PATH, stdin
 * from a string or {@code /dev/null}, stdout and stderr captured apart through files (so neither
 * pipe can fill and stall the tool), and a timeout that fails the test.
 *
 * @param out stdout, decoded leniently (sgdisk 1.0.9 prints names outside the BMP as invalid UTF-8)
 */
public record Tool(int exitCode, String out, String err) {

  /** Long enough for mkfs on a loaded machine; a hung tool fails the test after it. */
  static final long TIMEOUT_SECONDS = 120;

  public static Tool run(String... command) throws IOException, InterruptedException {
    return run(null, List.of(command));
  }

  /** Runs {@code command} with {@code stdin} (or {@code /dev/null} if null), whatever it exits. */
  public static Tool run(String stdin, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("LC_ALL", "C.UTF-8");
    env.put("PATH", env.getOrDefault("PATH", "") + ":/usr/sbin:/sbin");
    Path in = stdin == null ? null : Files.createTempFile("partview-tool", ".in");
    Path out = Files.createTempFile("partview-tool", ".out");
    Path err = Files.createTempFile("partview-tool", ".err");
    try {
      if (in != null) Files.writeString(in, stdin, StandardCharsets.UTF_8);
      Process p =
          pb.redirectInput(in == null ? new File("/dev/null") : in.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        fail(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      return new Tool(
          p.exitValue(),
          new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
          new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
    } finally {
      if (in != null) Files.deleteIfExists(in);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Runs and fails the test, with what the tool printed, unless it exits 0. */
  public static Tool ok(String... command) throws IOException, InterruptedException {
    return okWithInput(null, command);
  }

  /** The same, with {@code stdin} fed to the tool. */
  public static Tool okWithInput(String stdin, String... command)
      throws IOException, InterruptedException {
    Tool t = run(stdin, List.of(command));
    if (t.exitCode != 0) {
      fail(String.join(" ", command) + " exited " + t.exitCode + ": " + t.err + t.out);
    }
    return t;
  }

  /** {@code sh -c script}, failing the test unless it exits 0. */
  public static Tool sh(String script) throws IOException, InterruptedException {
    return ok("sh", "-c", script);
  }

  /** stdout, then stderr: everything the tool said, for checks that do not care where. */
  public String output() {
    return out + err;
  }

  public JsonNode json() throws IOException {
    return new ObjectMapper().readTree(out);
  }
}
