package dev.partview.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built jar the way users do ({@code java -jar partview.jar …}) and the system tools the
 * tests need. The jar is built in {@code package}, before failsafe runs.
 */
final class Partview {
  private Partview() {}

  static final Path JAR = Path.of("target", "partview.jar").toAbsolutePath();
  static final Path BIN = Path.of("..", "bin").toAbsolutePath().normalize();
  static final int MIB = 1 << 20;

  record Result(int code, String out, String err) {}

  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  static Result partview(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    return exec(cmd);
  }

  static Result exec(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    CompletableFuture<String> err = drain(p.getErrorStream());
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + cmd);
    }
    return new Result(p.exitValue(), out, err.join());
  }

  static Result exec(String... cmd) throws IOException, InterruptedException {
    return exec(List.of(cmd));
  }

  static String run(String... cmd) throws IOException, InterruptedException {
    Result r = exec(cmd);
    if (r.code() != 0) {
      throw new IOException(String.join(" ", cmd) + " -> " + r.code() + ": " + r.out() + r.err());
    }
    return r.out();
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return e.toString();
          }
        });
  }

  /** 64 MiB of seeded random bytes under a legacy MBR: p1 at sector 63, logicals p5 and p6. */
  static Path legacyImage(Path dir, String name) throws IOException, InterruptedException {
    Path img = dir.resolve(name);
    Random r = new Random(name.hashCode());
    byte[] chunk = new byte[MIB];
    try (var out = Files.newOutputStream(img)) {
      for (int i = 0; i < 64; i++) {
        r.nextBytes(chunk);
        out.write(chunk);
      }
    }
    run(
        "sh",
        "-c",
        "printf 'start=63,size=40000,type=83\\nstart=40063,size=20000,type=83\\n"
            + "start=60063,size=60000,type=5\\nstart=60126,size=20000,type=83\\n"
            + "start=80189,size=30000,type=82\\n' | sfdisk -q "
            + img);
    return img;
  }

  /** An ext4 holding hello.txt in p1 (1 MiB into the image). */
  static Path ext4Image(Path dir, String content) throws IOException, InterruptedException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("hello.txt"), content);
    Path img = dir.resolve("ext.img");
    run("truncate", "-s", "64M", img.toString());
    run(
        "sh",
        "-c",
        "printf 'start=2048,size=61440,type=83\\nstart=63488,type=83\\n' | sfdisk -q " + img);
    run(
        "mkfs.ext4",
        "-q",
        "-F",
        "-E",
        "offset=1048576",
        "-d",
        src.toString(),
        img.toString(),
        "30M");
    return img;
  }
}
