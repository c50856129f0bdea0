package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the system tools (sfdisk, sgdisk, mkfs.*, xorriso) that build the images under test. */
final class Tools {
  private Tools() {}

  /** Runs a command, fails the test with its output unless it exits 0, and returns stdout. */
  static String run(String... command) throws IOException, InterruptedException {
    return runWithInput(null, command);
  }

  /** The same, with {@code stdin} fed to the command. */
  static String runWithInput(String stdin, String... command)
      throws IOException, InterruptedException {
    Path errFile = java.nio.file.Files.createTempFile("partview-tool", ".err");
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectError(errFile.toFile()).start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", command));
      }
      String err = java.nio.file.Files.readString(errFile);
      assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out + err).isZero();
      return out;
    } finally {
      java.nio.file.Files.deleteIfExists(errFile);
    }
  }

  static void sparseFile(Path p, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(0);
      f.setLength(size);
    }
  }

  /** Copies {@code from} into {@code to} at byte {@code offset}, keeping holes. */
  static void place(Path from, Path to, long offset) throws IOException, InterruptedException {
    if (offset % 512 != 0) throw new IllegalArgumentException("offset " + offset);
    run(
        "dd",
        "if=" + from,
        "of=" + to,
        "bs=512",
        "seek=" + offset / 512,
        "conv=sparse,notrunc",
        "status=none");
  }
}
