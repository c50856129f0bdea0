package dev.partview.fuse.loop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /proc/self/mounts}: which filesystems are mounted where. Used to tell whether a loop
 * device is mounted and which partview FUSE mounts serve an image.
 *
 * @param entries in the kernel's order (later entries are mounted on top of earlier ones)
 */
public record MountTable(List<Entry> entries) {

  /** The FUSE subtype partview mounts with: {@code mount -t fuse.partview}. */
  public static final String PARTVIEW_TYPE = "fuse.partview";

  /** The fsname of a partview mount serving several images: one folder per image file name. */
  public static final String MULTI_IMAGE_SOURCE = "partview";

  /**
   * One line: {@code source target type options dump pass}.
   *
   * @param source e.g. {@code /dev/loop3} or, for a single-image partview mount, the image's path
   */
  public record Entry(String source, String target, String type, String options) {}

  public MountTable {
    entries = List.copyOf(entries);
  }

  public static MountTable read() throws IOException {
    return parse(Files.readString(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8));
  }

  /** Lines with fewer than four fields are skipped (the kernel never writes them). */
  public static MountTable parse(String text) {
    List<Entry> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.split(" ");
      if (f.length < 4) continue;
      out.add(new Entry(unescape(f[0]), unescape(f[1]), unescape(f[2]), unescape(f[3])));
    }
    return new MountTable(out);
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
   * The directories under which files of partview FUSE mounts serve {@code image}: the mount point
   * of a single-image mount whose source is the image's path, and {@code MOUNTPOINT/<file name>} of
   * a multi-image mount.
   *
   * @param image absolute, symlinks resolved
   */
  public List<String> partviewDirsServing(Path image) {
    List<String> out = new ArrayList<>();
    Path name = image.getFileName();
    for (Entry e : entries) {
      if (!e.type().equals(PARTVIEW_TYPE)) continue;
      if (e.source().equals(image.toString())) {
        out.add(e.target());
      } else if (e.source().equals(MULTI_IMAGE_SOURCE) && name != null) {
        out.add(e.target().equals("/") ? "/" + name : e.target() + "/" + name);
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
}
