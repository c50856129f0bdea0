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
        if (isDaemonOf(commandLine(Long.parseLong(n)), target)) {
          ProcessHandle.of(Long.parseLong(n)).ifPresent(out::add);
        }
      }
    } catch (IOException e) {
      // no /proc: nothing to wait for
    }
    return out;
  }

  /** The arguments of process {@code pid}; empty when it is gone or not ours to read. */
  private static List<String> commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Waits until each process has exited. A zombie counts as exited: the daemon's parent (the
   * launcher) is long gone, and some init processes reap orphans only every few seconds.
   *
   * @return false on timeout
   */
  static boolean awaitExit(List<ProcessHandle> processes, java.time.Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle p : processes) {
      while (running(p.pid())) {
        if (System.nanoTime() > deadline) return false;
        Thread.sleep(20);
      }
    }
    return true;
  }

  /** Alive and not a zombie. */
  static boolean running(long pid) {
    char state = state(pid);
    return state != 0 && state != 'Z';
  }

  /** Stopped by a signal (SIGSTOP, Ctrl-Z) or a debugger: it answers nothing until continued. */
  static boolean stopped(long pid) {
    char state = state(pid);
    return state == 'T' || state == 't';
  }

  /** The state letter of /proc/PID/stat ({@code R}, {@code S}, {@code T}, …), 0 if gone. */
  private static char state(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return 0;
    }
    int close = stat.lastIndexOf(')'); // the command name may contain spaces and parentheses
    return close < 0 || close + 2 >= stat.length() ? '?' : stat.charAt(close + 2);
  }

  /**
   * The images the daemon serving {@code target} was started with (absolute, as given: the
   * arguments between {@code --} and the mount point, see {@code MountCommand.childArguments});
   * empty when no daemon serves it, e.g. a foreground mount or a killed daemon.
   */
  static List<Path> imagesServedAt(String target) {
    for (ProcessHandle p : serving(target)) {
      List<String> args = commandLine(p.pid());
      int dashes = args.indexOf("--");
      if (dashes < 0 || !isDaemonOf(args, target)) continue;
      return args.subList(dashes + 1, args.size() - 1).stream().map(Path::of).toList();
    }
    return List.of();
  }

  static boolean isDaemonOf(List<String> args, String target) {
    return args.contains(Main.class.getName())
        && args.contains("--daemon-child")
        && !args.isEmpty()
        && args.get(args.size() - 1).equals(target);
  }
}
