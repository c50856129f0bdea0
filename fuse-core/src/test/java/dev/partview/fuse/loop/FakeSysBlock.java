package dev.partview.fuse.loop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A directory laid out like {@code /sys/block}, for the tests of what reads it. */
public final class FakeSysBlock {
  private final Path root;

  public FakeSysBlock(Path root) {
    this.root = root;
  }

  public LoopSysfs sysfs() {
    return new LoopSysfs(root);
  }

  /** Writes {@code content} to {@code rel} below the root, making its folders. */
  public void write(String rel, String content) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  /**
   * A bound loopN: {@code loop/} attributes as given, {@code ro}, {@code size}, 512-byte logical
   * blocks, no holders.
   */
  public void boundLoop(int n, Map<String, String> loop, String ro, String size)
      throws IOException {
    for (Map.Entry<String, String> e : loop.entrySet()) {
      write("loop" + n + "/loop/" + e.getKey(), e.getValue() + "\n");
    }
    write("loop" + n + "/ro", ro + "\n");
    write("loop" + n + "/size", size + "\n");
    write("loop" + n + "/queue/logical_block_size", "512\n");
    Files.createDirectories(root.resolve("loop" + n + "/holders"));
  }

  /** loopN bound to the whole of {@code backing} (as the kernel writes it), read-only. */
  public void boundLoop(int n, String backing) throws IOException {
    boundLoop(n, attrs(backing, "0", "0"), "1", "8");
  }

  /** A free loopN: the device exists, bound to nothing (no {@code loop/} folder). */
  public void freeLoop(int n) throws IOException {
    Files.createDirectories(root.resolve("loop" + n));
  }

  /** The {@code loop/} attributes of a device with partscan and direct I/O on, no autoclear. */
  public static Map<String, String> attrs(String backing, String offset, String limit) {
    return Map.of(
        "backing_file",
        backing,
        "offset",
        offset,
        "sizelimit",
        limit,
        "autoclear",
        "0",
        "partscan",
        "1",
        "dio",
        "1");
  }
}
