package dev.partview.testimages;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for integration tests that mount FUSE filesystems or attach loop devices. Elsewhere they are
 * skipped with a printed reason; under CI ({@code CI=true}) a missing prerequisite is a failure, so
 * CI can never pass by skipping them.
 */
public final class IntegrationEnvironment {
  private IntegrationEnvironment() {}

  /** Root, /dev/fuse and libfuse2 (for mounts). */
  public static void requireFuse() {
    require(isRoot(), "integration test needs root");
    require(Files.exists(Path.of("/dev/fuse")), "integration test needs /dev/fuse");
    require(hasLibfuse2(), "integration test needs libfuse2 (apt-get install fuse libfuse2)");
  }

  /** Root and /dev/loop-control (for loop devices). */
  public static void requireLoop() {
    require(isRoot(), "integration test needs root");
    require(Files.exists(Path.of("/dev/loop-control")), "integration test needs /dev/loop-control");
  }

  /** Root, e.g. to run a command as another user with runuser. */
  public static void requireRoot() {
    require(isRoot(), "integration test needs root");
  }

  /** A command-line tool on the PATH (mkfs.ext4, debugfs, sfdisk, …). */
  public static void requireTool(String name) {
    require(onPath(name), "integration test needs '" + name + "' on the PATH");
  }

  public static boolean onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return true;
    }
    return Files.isExecutable(Path.of("/usr/sbin", name))
        || Files.isExecutable(Path.of("/sbin", name));
  }

  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Passes, skips with a printed reason, or under CI fails. */
  static void require(boolean ok, String reason) {
    if (ok) return;
    if (underCi()) fail(reason + " (CI=true: a skipped integration test is a failure)");
    System.out.println("SKIPPED: " + reason);
    Assumptions.assumeTrue(false, reason);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static boolean hasLibfuse2() {
    for (String dir :
        new String[] {
          "/lib",
          "/usr/lib",
          "/lib/x86_64-linux-gnu",
          "/usr/lib/x86_64-linux-gnu",
          "/lib/aarch64-linux-gnu",
          "/usr/lib/aarch64-linux-gnu",
          "/lib64",
          "/usr/lib64"
        }) {
      if (Files.exists(Path.of(dir, "libfuse.so.2"))) return true;
    }
    return false;
  }
}
