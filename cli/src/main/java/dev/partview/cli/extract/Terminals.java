package dev.partview.cli.extract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a standard stream is a terminal. {@link System#console()} only says whether stdin and
 * stdout both are; a progress bar on stderr must also show while stdout is piped ({@code extract
 * IMAGE 1 -o - | xz}). Linux names the terminal behind each descriptor in /proc/self/fd.
 */
public final class Terminals {
  private Terminals() {}

  public static final int STDOUT = 1;
  public static final int STDERR = 2;

  public static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/")
          || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException e) {
      return System.console() != null; // no /proc: the documented proxy
    }
  }
}
