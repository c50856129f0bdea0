package dev.partview.fuse.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The mount table, from {@code /proc/self/mountinfo}, read without touching any mount. The mount
 * lifecycle asks it whether a directory holds a partview mount, dead or alive ({@code mountpoint
 * -q} says "no" on a mount whose daemon died; the kernel still lists it here); detach and umount
 * ask it where loop devices are mounted and which partview mounts serve an image.
 *
 * @param entries in the kernel's order: a later entry is mounted over an earlier one
 */
public record MountTable(List<Entry> entries) {

  /**
   * The type partview mounts show: {@code fuse.} + the subtype ({@code mount -t fuse.partview}).
   */
  public static final String PARTVIEW_TYPE = "fuse.partview";

  /** The source of a mount that serves several images: one folder per image file name. */
  public static final String MULTI_IMAGE_SOURCE = "partview";

  /**
   * One line: {@code 36 35 0:52 / /mnt/x rw,nosuid - fuse.partview /img/disk.img rw,user_id=0}.
   *
   * @param id unique mount id
   * @param device {@code major:minor}; for FUSE the minor names {@code /sys/fs/fuse/connections/N}
   * @param target the mount point, unescaped
   * @param options the per-mount options, e.g. {@code ro,nosuid}
   * @param type e.g. {@code fuse.partview}
   * @param source e.g. {@code /dev/loop3} or, for a single-image partview mount, the image's path
   */
  public record Entry(
      int id, String device, String target, String options, String type, String source) {

    public boolean isPartview() {
      return PARTVIEW_TYPE.equals(type);
    }
  }

  public MountTable {
    entries = List.copyOf(entries);
  }

  public static MountTable read() throws IOException {
    return parse(Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8));
  }

  /**
   * Parses mountinfo lines: six fields, optional fields up to a {@code -}, then type, source and
   * superblock options. Malformed lines (the kernel writes none) are skipped.
   */
  public static MountTable parse(String text) {
    List<Entry> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.split(" ");
      int dash = -1;
      for (int i = 6; i < f.length; i++) {
        if (f[i].equals("-")) {
          dash = i;
          break;
        }
      }
      if (dash < 0 || dash + 2 >= f.length) continue;
      try {
        out.add(
            new Entry(
                Integer.parseInt(f[0]),
                f[2],
                unescape(f[4]),
                f[5],
                unescape(f[dash + 1]),
                unescape(f[dash + 2])));
      } catch (NumberFormatException e) {
        // not a mountinfo line
      }
    }
    return new MountTable(out);
  }

  /** The topmost mount on {@code target} (an absolute, normalized path), if any. */
  public Optional<Entry> at(String target) {
    Entry found = null;
    for (Entry e : entries) if (e.target().equals(target)) found = e;
    return Optional.ofNullable(found);
  }

  /** Mounts strictly below {@code dir}. */
  public List<Entry> below(String dir) {
    return entries.stream()
        .filter(e -> !e.target().equals(dir) && isUnder(e.target(), dir))
        .toList();
  }

  /** Mounts whose source is {@code device} or one of its partitions ({@code /dev/loop3p1}). */
  public List<Entry> mountsOf(String device) {
    return entries.stream()
        .filter(e -> e.source().equals(device) || isPartitionOf(e.source(), device))
        .toList();
  }

  private static boolean isPartitionOf(String source, String disk) {
    if (!source.startsWith(disk + "p")) return false;
    String rest = source.substring(disk.length() + 1);
    return !rest.isEmpty() && rest.chars().allMatch(Character::isDigit);
  }

  /**
   * The folders of partview mounts that serve {@code image}: the root of a single-image mount whose
   * source is the image's path, and {@code MOUNTPOINT/NAME} of a multi-image mount (source {@code
   * partview}) that {@code imagesOf} says serves it. Such a mount's folders are named after the
   * images as given, and the mount table does not list them, so only its daemon can tell.
   *
   * @param image absolute, symlinks resolved
   * @param asNamed the same image as the user named it (absolute, normalised, symlinks kept): a
   *     multi-image mount's image is matched by either spelling, by name only, never stat-ed
   * @param imagesOf the images a multi-image mount serves, as given (absolute), by mount point;
   *     empty when that cannot be told (the mount's folders then serve nothing here)
   */
  public List<String> partviewDirsServing(
      Path image, Path asNamed, Function<String, List<Path>> imagesOf) {
    List<String> out = new ArrayList<>();
    for (Entry e : entries) {
      if (!e.isPartview()) continue;
      if (e.source().equals(image.toString())) {
        out.add(e.target());
      } else if (e.source().equals(MULTI_IMAGE_SOURCE)) {
        for (Path given : imagesOf.apply(e.target())) {
          if (!given.equals(image) && !given.equals(asNamed)) continue;
          if (given.getFileName() == null) continue;
          String name = given.getFileName().toString();
          out.add(e.target().equals("/") ? "/" + name : e.target() + "/" + name);
        }
      }
    }
    return out;
  }

  /** Whether {@code path} is {@code dir} or lies below it (by name; nothing is touched). */
  public static boolean isUnder(String path, String dir) {
    if (path.equals(dir)) return true;
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    return path.startsWith(prefix);
  }

  /**
   * Undoes the kernel's {@code mangle()}: space, tab, newline and backslash are written as {@code
   * \040}, {@code \011}, {@code \012}, {@code \134}. Anything else after a backslash stays as is.
   */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) return s;
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) return false;
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') return false;
    }
    return true;
  }
}
