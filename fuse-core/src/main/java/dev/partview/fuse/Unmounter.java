package dev.partview.fuse;

import dev.partview.fuse.sys.MountTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Unmounts a FUSE mount the non-lazy way: {@code fusermount -u DIR} for users, {@code umount -c
 * DIR} for root. Never {@code -z}: a lazy unmount hides a busy mount (the daemon keeps serving a
 * loop device through a detached mount and the user never learns why). When the mount is busy the
 * result says what holds it. Works on a dead mount (ENOTCONN) too, and never stats through the
 * mount: {@code umount -c} skips path canonicalization, {@code fusermount} only resolves the parent
 * folder.
 */
public final class Unmounter {
  private Unmounter() {}

  /**
   * @param unmounted the mount is gone
   * @param message why not (the tool's own words, or what holds the mount)
   * @param holders what holds a busy mount; empty otherwise
   */
  public record Result(boolean unmounted, String message, List<Holders.Holder> holders) {
    public boolean busy() {
      return !holders.isEmpty();
    }
  }

  static final long TIMEOUT_SECONDS = 30;

  /**
   * Unmounts the topmost mount at {@code target}.
   *
   * @param target absolute and canonical, as /proc/self/mountinfo spells it
   */
  public static Result unmount(String target) throws IOException, InterruptedException {
    return unmount(target, true);
  }

  /**
   * @param explain whether a busy mount's holders are looked up (every process's descriptors and
   *     maps): false for retries once they have been told
   */
  public static Result unmount(String target, boolean explain)
      throws IOException, InterruptedException {
    Optional<MountTable.Entry> before = MountTable.read().at(target);
    if (before.isEmpty()) return new Result(true, "", List.of());
    List<String> cmd = command(target);
    // The output goes to a file, not a pipe: reading a pipe to its end would wait as long as the
    // unmount itself, and a hung unmount (a stopped daemon with dirty pages) must hit the timeout.
    Path out = Files.createTempFile("partview-umount", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.redirectOutput(out.toFile());
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new MountException(
            MountException.Reason.ENVIRONMENT,
            "cannot run " + cmd.get(0) + " to unmount " + target + ": " + e.getMessage(),
            e);
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(
            false,
            String.join(" ", cmd) + " did not finish in " + TIMEOUT_SECONDS + " s",
            List.of());
      }
      String output = Files.readString(out, StandardCharsets.UTF_8).strip();
      return outcome(target, before.get(), cmd, output, explain);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static Result outcome(
      String target, MountTable.Entry before, List<String> cmd, String output, boolean explain)
      throws IOException {
    // The same mount, not just the same id: another mount made meanwhile may reuse the id.
    boolean gone = !MountTable.read().entries().contains(before);
    if (gone) return new Result(true, "", List.of());
    List<Holders.Holder> holders = explain ? Holders.of(target) : List.of();
    String why = holders.isEmpty() ? firstLine(output) : Holders.explain(holders);
    return new Result(false, why.isEmpty() ? String.join(" ", cmd) + " failed" : why, holders);
  }

  static List<String> command(String target) {
    if (isRoot()) return List.of("umount", "-c", target);
    return List.of(fusermount(), "-u", target);
  }

  /** Debian's fuse3 package provides only fusermount3 (and a fusermount link, sometimes). */
  private static String fusermount() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, "fusermount"))) {
        return "fusermount";
      }
    }
    return "fusermount3";
  }

  static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
