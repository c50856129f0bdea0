package dev.partview.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /proc/self/mountinfo}, read without touching any mount: the way to tell whether a
 * directory holds a partview mount, dead or alive ({@code mountpoint -q} says "no" on a mount whose
 * daemon died; the kernel still lists it here).
 *
 * @param entries in the kernel's order: a later entry is mounted over an earlier one
 */
public record MountInfo(List<Entry> entries) {

  /** The type partview mounts show: {@code fuse.} + the subtype. */
  public static final String PARTVIEW_TYPE = "fuse.partview";

  /** The source of a mount that serves several images. */
  public static final String MULTI_IMAGE_SOURCE = "partview";

  /**
   * One line: {@code 36 35 0:52 / /mnt/x rw,nosuid - fuse.partview /img/disk.img rw,user_id=0}.
   *
   * @param id unique mount id
   * @param device {@code major:minor}; for FUSE the minor names {@code /sys/fs/fuse/connections/N}
   * @param target the mount point, unescaped
   * @param type e.g. {@code fuse.partview}
   * @param source e.g. the image path
   */
  public record Entry(
      int id, String device, String target, String options, String type, String source) {

    public boolean isPartview() {
      return PARTVIEW_TYPE.equals(type);
    }
  }

  public MountInfo {
    entries = List.copyOf(entries);
  }

  public static MountInfo read() throws IOException {
    return parse(Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8));
  }

  /** Malformed lines (the kernel writes none) are skipped. */
  public static MountInfo parse(String text) {
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
    return new MountInfo(out);
  }

  /** The topmost mount on {@code target} (an absolute, normalized path), if any. */
  public Optional<Entry> at(String target) {
    Entry found = null;
    for (Entry e : entries) if (e.target().equals(target)) found = e;
    return Optional.ofNullable(found);
  }

  /** Mounts strictly below {@code dir}. */
  public List<Entry> below(String dir) {
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    return entries.stream().filter(e -> e.target().startsWith(prefix)).toList();
  }

  /** Whether a mount with this source (e.g. {@code /dev/loop3}) exists, and where. */
  public List<Entry> withSource(String source) {
    return entries.stream().filter(e -> e.source().equals(source)).toList();
  }

  /**
   * Undoes the kernel's escaping of space, tab, newline and backslash as {@code \040}, {@code
   * \011}, {@code \012}, {@code \134}.
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
