package dev.partview.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * The background daemons started by {@link DaemonLauncher}, found by their command line: {@code …
 * dev.partview.cli.Main mount --daemon-child … MOUNTPOINT} (the mount point is always the last
 * argument).
 */
final class DaemonProcesses {
  private DaemonProcesses() {}

  static List<ProcessHandle> serving(String target) {
    List<ProcessHandle> out = new ArrayList<>();
    for (long pid : pids()) {
      if (isDaemonOf(commandLine(pid), target)) ProcessHandle.of(pid).ifPresent(out::add);
    }
    return out;
  }

  /** Every process id in /proc; none without /proc. */
  private static List<Long> pids() {
    List<Long> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) out.add(Long.parseLong(n));
      }
    } catch (IOException e) {
      // no /proc: no processes to find
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

  /**
   * Who does not answer and what to do about it, e.g. {@code stopped daemon 812 does not answer
   * within 2 s: continue it (kill -CONT 812) or end it (kill -KILL 812)}. A stopped process keeps a
   * SIGTERM pending until it is continued, so only those two help it.
   */
  static String notAnswering(List<ProcessHandle> daemons, Duration waited) {
    String within = " does not answer within " + waited.toSeconds() + " s: ";
    if (daemons.isEmpty()) return "its daemon" + within + "let it answer or end it";
    List<String> who = new ArrayList<>();
    List<String> stopped = new ArrayList<>();
    List<String> busy = new ArrayList<>();
    for (ProcessHandle p : daemons) {
      String pid = Long.toString(p.pid());
      boolean s = stopped(p.pid());
      who.add((s ? "stopped daemon " : "daemon ") + pid);
      (s ? stopped : busy).add(pid);
    }
    List<String> advice = new ArrayList<>();
    if (!stopped.isEmpty()) {
      String pids = String.join(" ", stopped);
      advice.add("continue it (kill -CONT " + pids + ") or end it (kill -KILL " + pids + ")");
    }
    if (!busy.isEmpty()) advice.add("wait for it, or end it (kill " + String.join(" ", busy) + ")");
    return String.join(", ", who) + within + String.join("; ", advice);
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
   * The images the partview process serving {@code target} was started with, absolute as given
   * (folders of a multi-image mount are named after them): a background daemon, or a {@code mount
   * --foreground} in a terminal, found by its command line, which is parsed as {@code partview
   * mount} parses it, relative paths taken from the process's working directory. Nothing is stat-ed
   * outside /proc. Empty when no live process serves it (a killed daemon).
   */
  static List<Path> imagesServedAt(String target) {
    for (long pid : pids()) {
      List<Path> paths = mountPaths(Path.of("/proc", Long.toString(pid)), commandLine(pid));
      if (paths.size() >= 2 && paths.get(paths.size() - 1).toString().equals(target)) {
        return paths.subList(0, paths.size() - 1);
      }
    }
    return List.of();
  }

  /**
   * IMAGE... MOUNTPOINT of a {@code partview mount} command line (after {@code -jar JAR} or the
   * main class, and root options), made absolute against the process's working directory; empty for
   * anything else.
   */
  static List<Path> mountPaths(Path proc, List<String> args) {
    int at = -1;
    for (int i = 0; i < args.size() && at < 0; i++) {
      boolean entry =
          args.get(i).equals(Main.class.getName())
              || (i > 0 && args.get(i - 1).equals("-jar") && args.get(i).endsWith(".jar"));
      if (!entry) continue;
      for (int k = i + 1; k < args.size(); k++) {
        if (args.get(k).equals("mount")) at = k;
        if (!args.get(k).startsWith("-")) break; // a root option may come first, e.g. -v
      }
    }
    if (at < 0) return List.of();
    MountCommand m = new MountCommand();
    try {
      new CommandLine(m).parseArgs(args.subList(at + 1, args.size()).toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      return List.of();
    }
    Path cwd;
    try {
      cwd = Files.readSymbolicLink(proc.resolve("cwd"));
    } catch (IOException | UnsupportedOperationException e) {
      return List.of();
    }
    return m.paths.stream().map(s -> cwd.resolve(s).normalize()).toList();
  }

  static boolean isDaemonOf(List<String> args, String target) {
    return args.contains(Main.class.getName())
        && args.contains("--daemon-child")
        && !args.isEmpty()
        && args.get(args.size() - 1).equals(target);
  }
}
