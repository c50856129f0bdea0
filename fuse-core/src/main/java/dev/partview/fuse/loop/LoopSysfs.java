package dev.partview.fuse.loop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads loop devices from sysfs, the way util-linux does before it falls back to ioctls. Never
 * {@code losetup -a} and never LOOP_GET_STATUS64 on devices that are not ours: both stat the
 * backing file and hang when it sits on a FUSE mount that does not answer.
 *
 * <p>Devices come and go while we read (other processes attach and detach); a device that vanishes
 * half-way is simply not listed.
 */
public final class LoopSysfs {
  private static final Pattern LOOP = Pattern.compile("loop(\\d+)");
  private static final String DELETED = " (deleted)";

  private final Path sysBlock;

  /**
   * @param sysBlock {@code /sys/block}, or a directory laid out like it (tests)
   */
  public LoopSysfs(Path sysBlock) {
    this.sysBlock = sysBlock;
  }

  public static LoopSysfs system() {
    return new LoopSysfs(Path.of("/sys/block"));
  }

  /** Every bound loop device, in device-number order. */
  public List<LoopStatus> attached() throws IOException {
    List<LoopStatus> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(sysBlock, "loop*")) {
      for (Path dir : dirs) {
        Matcher m = LOOP.matcher(dir.getFileName().toString());
        if (m.matches()) status(Integer.parseInt(m.group(1))).ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparingInt(LoopStatus::number));
    return out;
  }

  /** Whether the kernel has a loopN at all, bound or not. */
  public boolean exists(int number) {
    return Files.isDirectory(sysBlock.resolve("loop" + number));
  }

  /** loopN's binding, or empty if it does not exist or is not bound to a file. */
  public Optional<LoopStatus> status(int number) throws IOException {
    Path dev = sysBlock.resolve("loop" + number);
    Path loop = dev.resolve("loop");
    try {
      String backing = readLine(loop.resolve("backing_file"));
      boolean deleted = backing.endsWith(DELETED);
      if (deleted) backing = backing.substring(0, backing.length() - DELETED.length());
      return Optional.of(
          new LoopStatus(
              number,
              backing,
              deleted,
              readLong(loop.resolve("offset")),
              readLong(loop.resolve("sizelimit")),
              readLong(dev.resolve("ro")) != 0,
              readLong(loop.resolve("autoclear")) != 0,
              readLong(loop.resolve("partscan")) != 0,
              readOptionalFlag(loop.resolve("dio")),
              readLong(dev.resolve("size")),
              (int) readLong(dev.resolve("queue/logical_block_size"))));
    } catch (NoSuchFileException e) {
      return Optional.empty(); // not bound, or detached while we read (see readLine)
    }
  }

  /** Devices stacked on loopN ({@code holders/}: device-mapper, md, ...). */
  public List<String> holders(int number) throws IOException {
    return holders(sysBlock.resolve("loop" + number));
  }

  /** Devices stacked on a partition of loopN, e.g. {@code holders(3, "loop3p1")}. */
  public List<String> holders(int number, String partition) throws IOException {
    return holders(sysBlock.resolve("loop" + number).resolve(partition));
  }

  private static List<String> holders(Path dev) throws IOException {
    Path holders = dev.resolve("holders");
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(holders)) {
      for (Path p : s) out.add(p.getFileName().toString());
    } catch (NoSuchFileException e) {
      return List.of();
    }
    out.sort(null);
    return out;
  }

  /** The partitions of loopN ({@code loopNpM} subdirectories), in partition-number order. */
  public List<BlockPartition> partitions(int number) throws IOException {
    String disk = "loop" + number;
    Path dev = sysBlock.resolve(disk);
    List<BlockPartition> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dev, disk + "p*")) {
      for (Path p : s) {
        try {
          out.add(
              new BlockPartition(
                  p.getFileName().toString(),
                  (int) readLong(p.resolve("partition")),
                  readLong(p.resolve("start")),
                  readLong(p.resolve("size")),
                  readLine(p.resolve("dev"))));
        } catch (NoSuchFileException e) {
          // removed while we read
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    out.sort(Comparator.comparingInt(BlockPartition::number));
    return out;
  }

  /**
   * One attribute. A read that fails is taken as the device going away: one being torn down by
   * another process (losetup -d, an AUTOCLEAR last close) answers with ENODEV, and sysfs attributes
   * (0444) have no other way to fail.
   */
  private static String readLine(Path p) throws IOException {
    byte[] raw;
    try {
      raw = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      NoSuchFileException gone = new NoSuchFileException(p.toString(), null, "gone while read");
      gone.initCause(e);
      throw gone;
    }
    String s = new String(raw, StandardCharsets.UTF_8);
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  private static long readLong(Path p) throws IOException {
    String s = readLine(p).strip();
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IOException(p + ": expected a number, found '" + s + "'", e);
    }
  }

  /** {@code dio} appeared in Linux 4.10; older kernels have no such file (and no direct I/O). */
  private static boolean readOptionalFlag(Path p) throws IOException {
    return Files.exists(p) && readLong(p) != 0;
  }
}
