package dev.partview.testimages;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a system tool (sfdisk, sgdisk, partx, losetup) with a UTF-8 locale and a timeout. */
record Tool(int exitCode, String out, String err) {

  static Tool run(String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(new File("/dev/null"));
    Map<String, String> env = pb.environment();
    env.put("LC_ALL", "C.UTF-8");
    env.put("PATH", env.getOrDefault("PATH", "") + ":/usr/sbin:/sbin");
    Path stdout = Files.createTempFile("partview-tool", ".out");
    Path stderr = Files.createTempFile("partview-tool", ".err");
    try {
      Process p = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", command) + " did not finish in 60 s");
      }
      return new Tool(
          p.exitValue(),
          Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  /** Runs and fails the test unless the tool exits 0. */
  static Tool ok(String... command) throws IOException, InterruptedException {
    Tool t = run(command);
    if (t.exitCode != 0) {
      fail(String.join(" ", command) + " exited " + t.exitCode + ": " + t.err + t.out);
    }
    return t;
  }

  JsonNode json() throws IOException {
    return new ObjectMapper().readTree(out);
  }

  static List<String> lines(String text) {
    return new ArrayList<>(text.lines().toList());
  }
}
