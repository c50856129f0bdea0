package dev.partview.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs mount(8) as a child process. Never from inside a FUSE callback: a mount reading through a
 * loop device whose file is served by this same process would deadlock (notes §4.1); the child
 * process is a separate reader.
 */
final class BlockMount {
  private BlockMount() {}

  /**
   * @param started told of the mount(8) process as soon as it runs (a rollback on a signal waits
   *     for it, so that the mount cannot land after the rollback looked)
   */
  static void mount(String device, Path dir, String type, String options, Consumer<Process> started)
      throws IOException, CliException {
    List<String> cmd = new ArrayList<>();
    cmd.add(mountBinary());
    if (type != null) {
      cmd.add("-t");
      cmd.add(type);
    }
    if (options != null && !options.isEmpty()) {
      cmd.add("-o");
      cmd.add(options);
    }
    cmd.add(device);
    cmd.add(dir.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    started.accept(p);
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int code;
    try {
      code = p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroy();
      throw new CliException(ExitCodes.RUNTIME, "interrupted while mounting " + device);
    }
    if (code != 0) {
      throw new CliException(
          ExitCodes.RUNTIME,
          "mount "
              + device
              + " on "
              + dir
              + " failed (exit "
              + code
              + ")"
              + (output.isEmpty() ? "" : ": " + output));
    }
  }

  private static String mountBinary() {
    for (String candidate : new String[] {"/bin/mount", "/usr/bin/mount", "/sbin/mount"}) {
      if (Files.isExecutable(Path.of(candidate))) return candidate;
    }
    return "mount";
  }
}
