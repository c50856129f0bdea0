package dev.partview.fuse;

import static dev.partview.fuse.sys.MountTable.isUnder;

import dev.partview.fuse.loop.LoopStatus;
import dev.partview.fuse.loop.LoopSysfs;
import dev.partview.fuse.sys.MountTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What keeps a mount busy, found without touching the mount itself (a dead or hung daemon must not
 * hang the search): loop devices whose {@code /sys/block/loopN/loop/backing_file} lies under it,
 * mounts below it, and processes whose working directory, root, open files or mapped files lie
 * under it ({@code /proc/PID/{cwd,root,fd/*,maps}} are read as link text, never followed).
 */
public final class Holders {
  private Holders() {}

  /**
   * @param what e.g. {@code "/dev/loop3 (backing /mnt/x/p2)"}
   * @param remedy what to run, e.g. {@code "partview detach /dev/loop3"}; may be empty
   */
  public record Holder(String what, String remedy) {
    @Override
    public String toString() {
      return remedy.isEmpty() ? what : what + ": " + remedy;
    }
  }

  static final int MAX_PROCESSES = 10;

  /** Everything found holding {@code dir} (absolute, canonical), loops first. */
  public static List<Holder> of(String dir) {
    List<Holder> out = new ArrayList<>();
    MountTable mounts;
    try {
      mounts = MountTable.read();
    } catch (IOException e) {
      mounts = new MountTable(List.of());
    }
    out.addAll(loops(dir, mounts, LoopSysfs.system()));
    for (MountTable.Entry e : mounts.below(dir)) {
      out.add(
          new Holder("a mount on " + e.target() + " (" + e.type() + ")", "umount " + e.target()));
    }
    out.addAll(processes(dir, Path.of("/proc")));
    return out;
  }

  /** One line for users: {@code held by /dev/loop3 (backing DIR/p2): run partview detach …}. */
  public static String explain(List<Holder> holders) {
    if (holders.isEmpty()) return "";
    List<String> parts = new ArrayList<>();
    for (Holder h : holders) {
      parts.add(h.what() + (h.remedy().isEmpty() ? "" : ": run " + h.remedy()));
    }
    return "held by " + String.join("; ", parts);
  }

  static List<Holder> loops(String dir, MountTable mounts, LoopSysfs sysfs) {
    List<LoopStatus> attached;
    try {
      attached = sysfs.attached();
    } catch (IOException e) {
      return List.of(); // no /sys/block: no loop devices to name
    }
    List<Holder> out = new ArrayList<>();
    for (LoopStatus s : attached) {
      if (!isUnder(s.backingFile(), dir)) continue;
      String name = s.device();
      String file = s.backingFile() + (s.backingDeleted() ? " (deleted)" : "");
      List<String> usedAt = mounts.mountsOf(name).stream().map(MountTable.Entry::target).toList();
      if (usedAt.isEmpty()) {
        out.add(new Holder(name + " (backing " + file + ")", "partview detach " + name));
      } else {
        // AUTOCLEAR (attach --mount, or a lazy detach): the last umount frees the device itself,
        // and a detach after it would find nothing to detach.
        String umount = "umount " + String.join(" ", usedAt);
        out.add(
            new Holder(
                name + " (backing " + file + ", mounted on " + String.join(", ", usedAt) + ")",
                s.autoclear()
                    ? umount + " (which frees it)"
                    : umount + ", then partview detach " + name));
      }
    }
    return out;
  }

  static List<Holder> processes(String dir, Path proc) {
    List<Holder> out = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) pids.add(Long.parseLong(n));
      }
    } catch (IOException e) {
      return out;
    }
    pids.sort(null);
    int hidden = 0;
    for (long pid : pids) {
      if (pid == self) continue;
      Path p = proc.resolve(Long.toString(pid));
      Set<String> uses = new LinkedHashSet<>();
      String cwd = link(p.resolve("cwd"));
      if (cwd != null && isUnder(cwd, dir)) uses.add("has its working directory in " + cwd);
      String root = link(p.resolve("root"));
      if (root != null && isUnder(root, dir)) uses.add("has its root in " + root);
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(p.resolve("fd"))) {
        for (Path fd : fds) {
          String target = link(fd);
          if (target != null && isUnder(stripDeleted(target), dir)) {
            uses.add("has " + target + " open");
          }
        }
      } catch (IOException e) {
        // gone, or not ours to look at
      }
      for (String mapped : mappedFiles(p.resolve("maps"))) {
        if (isUnder(mapped, dir)) uses.add("maps " + mapped);
      }
      if (uses.isEmpty()) continue;
      if (out.size() >= MAX_PROCESSES) {
        hidden++;
        continue;
      }
      // A noun phrase, as for loops and mounts: explain() puts "held by" before it.
      out.add(
          new Holder(
              "process " + pid + " (" + comm(p) + "), which " + String.join(", ", uses), ""));
    }
    if (hidden > 0) out.add(new Holder("and " + hidden + " more processes", ""));
    return out;
  }

  private static List<String> mappedFiles(Path maps) {
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(maps, StandardCharsets.UTF_8)) {
        int slash = line.indexOf(" /");
        if (slash > 0) out.add(stripDeleted(line.substring(slash + 1)));
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // gone, or not ours to look at
    }
    return out;
  }

  private static String comm(Path p) {
    try {
      return Files.readString(p.resolve("comm"), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "?";
    }
  }

  private static String link(Path p) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  private static String stripDeleted(String path) {
    return path.endsWith(" (deleted)") ? path.substring(0, path.length() - 10) : path;
  }
}
