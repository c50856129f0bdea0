package dev.partview.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs system tools for the integration tests. */
final class Sh {
  private Sh() {}

  record Result(int code, String out) {}

  static Result exec(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + cmd);
    }
    return new Result(p.exitValue(), out);
  }

  static Result exec(String... cmd) throws IOException, InterruptedException {
    return exec(List.of(cmd));
  }

  /** Runs and fails unless the exit code is 0; returns the output. */
  static String run(String... cmd) throws IOException, InterruptedException {
    Result r = exec(cmd);
    if (r.code() != 0)
      throw new IOException(String.join(" ", cmd) + " -> " + r.code() + ": " + r.out());
    return r.out();
  }

  /** {@code sh -c script}, failing unless it exits 0. */
  static String sh(String script) throws IOException, InterruptedException {
    return run("sh", "-c", script);
  }
}
