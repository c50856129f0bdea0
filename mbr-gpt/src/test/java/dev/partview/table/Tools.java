package dev.partview.table;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partview.table.io.FileChannelSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs sfdisk, sgdisk and losetup for the cross-checking integration tests. */
final class Tools {
  private Tools() {}

  record Result(int exitCode, String out, String err) {
    JsonNode json() throws IOException {
      return new ObjectMapper().readTree(out);
    }
  }

  static Result run(String stdin, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("LC_ALL", "C.UTF-8");
    env.put("PATH", env.getOrDefault("PATH", "") + ":/usr/sbin:/sbin");
    Path in = Files.createTempFile("partview-in", ".txt");
    Path out = Files.createTempFile("partview-out", ".txt");
    Path err = Files.createTempFile("partview-err", ".txt");
    try {
      Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
      Process p =
          pb.redirectInput(in.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", command) + " did not finish in 60 s");
      }
      return new Result(
          p.exitValue(),
          // Lenient: sgdisk 1.0.9 prints names outside the BMP as invalid UTF-8.
          new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
          new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(in);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Runs and fails the test unless the tool exits 0. */
  static Result okWithInput(String stdin, String... command)
      throws IOException, InterruptedException {
    Result r = run(stdin, List.of(command));
    if (r.exitCode() != 0) {
      fail(String.join(" ", command) + " exited " + r.exitCode() + ": " + r.err() + r.out());
    }
    return r;
  }

  static Result ok(String... command) throws IOException, InterruptedException {
    return okWithInput(null, command);
  }

  /** A sparse file of {@code bytes} (a hole, as {@code truncate -s} makes). */
  static Path sparseFile(Path dir, String name, long bytes) throws IOException {
    Path f = dir.resolve(name);
    try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(bytes);
    }
    return f;
  }

  static PartitionTable read(Path image) throws IOException {
    return read(image, ReadOptions.defaults());
  }

  static PartitionTable read(Path image, ReadOptions options) throws IOException {
    try (FileChannelSource src = FileChannelSource.open(image)) {
      return PartitionTableReader.read(src, options);
    }
  }

  /** The partition number at the end of sfdisk's "node" ({@code /tmp/x/disk.img5} → 5). */
  static int nodeNumber(String node) {
    int i = node.length();
    while (i > 0 && Character.isDigit(node.charAt(i - 1))) i--;
    return Integer.parseInt(node.substring(i));
  }
}
