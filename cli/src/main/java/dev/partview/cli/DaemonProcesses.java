package dev.partview.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The background daemons started by {@link DaemonLauncher}, found by their command line: {@code …
 * dev.partview.cli.Main mount --daemon-child … MOUNTPOINT} (the mount point is always the last
 * argument).
 */
final class DaemonProcesses {
  private DaemonProcesses() {}

  static List<ProcessHandle> serving(String target) {
    List<ProcessHandle> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.isEmpty() || !n.chars().allMatch(Character::isDigit)) continue;
        List<String> args;
        try {
          args =
              Arrays.asList(
                  new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                      .split("\0"));
        } catch (IOException e) {
          continue;
        }
        if (isDaemonOf(args, target)) ProcessHandle.of(Long.parseLong(n)).ifPresent(out::add);
      }
    } catch (IOException e) {
      // no /proc: nothing to wait for
    }
    return out;
  }

  static boolean isDaemonOf(List<String> args, String target) {
    return args.contains(Main.class.getName())
        && args.contains("--daemon-child")
        && !args.isEmpty()
        && args.get(args.size() - 1).equals(target);
  }
}
