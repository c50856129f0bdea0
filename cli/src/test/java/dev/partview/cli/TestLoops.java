package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.fuse.loop.LoopDetacher;
import dev.partview.fuse.loop.LoopStatus;
import dev.partview.fuse.loop.LoopSysfs;
import dev.partview.fuse.sys.MountTable;
import dev.partview.testimages.Tool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The loop devices an integration test attached, told apart from everyone else's by their backing
 * files, which all lie in the test's own directory: other processes may use other loop devices
 * meanwhile.
 */
final class TestLoops {
  private TestLoops() {}

  /** Bound loop devices whose backing file lies below {@code dir}. */
  static List<LoopStatus> under(Path dir) throws IOException {
    return LoopSysfs.system().attached().stream()
        .filter(s -> s.backingFile().startsWith(dir + "/"))
        .toList();
  }

  /**
   * Unmounts the filesystems mounted below {@code dir} (FUSE mounts aside: the test closes its
   * own), detaches the loop devices backed below it, and fails if one is left.
   */
  static void release(Path dir) throws IOException, InterruptedException {
    for (MountTable.Entry m : MountTable.read().entries()) {
      if (MountTable.isUnder(m.target(), dir.toString()) && !m.type().startsWith("fuse")) {
        Tool.ok("umount", m.target());
      }
    }
    for (LoopStatus s : under(dir)) {
      try {
        LoopDetacher.system().detach(s.number());
      } catch (IOException e) {
        // gone meanwhile
      }
    }
    assertThat(under(dir)).as("loop devices left behind").isEmpty();
  }

  /** The {@code /dev/loopN} of an output line ({@code NAME /dev/loopN [(reused)]}). */
  static String device(String line) {
    for (String word : line.split(" ")) if (word.startsWith("/dev/")) return word;
    throw new AssertionError("no device in: " + line);
  }

  /** N of {@code /dev/loopN}. */
  static int number(String device) {
    return Integer.parseInt(device.substring("/dev/loop".length()));
  }
}
