package dev.partview.cli;

import dev.partview.fuse.loop.LoopDetacher;
import dev.partview.fuse.loop.LoopStatus;
import dev.partview.fuse.loop.LoopSysfs;
import dev.partview.fuse.sys.ErrnoException;
import dev.partview.fuse.sys.MountTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jnr.constants.platform.Errno;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code partview detach}: the loop devices given, or every one backed by an image. */
@Command(
    name = "detach",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Detach loop devices: those named (/dev/loopN or loopN), or for an IMAGE every loop device"
          + " whose backing file is IMAGE or a file of a partview mount serving IMAGE (found in"
          + " /sys/block/loop*/loop, /proc/self/mountinfo and, for a mount of several images,"
          + " its process's command line; no backing file or mount is touched).",
      "",
      "A busy device (mounted, or open elsewhere) is detached lazily, as losetup -d does: the"
          + " kernel frees it when its last user closes it, e.g. at umount."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:detached (or nothing to detach for IMAGE)",
      "1:a device was not attached, or the detach failed",
      "2:usage error",
      "4:no permission for the loop devices"
    })
final class DetachCommand implements Callable<Integer> {
  private static final Pattern LOOP = Pattern.compile("(?:/dev/)?loop(\\d+)");
  private static final Pattern LOOP_PART = Pattern.compile("(?:/dev/)?(loop\\d+)p\\d+");

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "LOOPDEV|IMAGE",
      description = "/dev/loopN, loopN, or an image file.")
  List<String> targets = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LoopDetacher detacher = LoopDetacher.system();
    int worst = ExitCodes.OK;
    LoopDetacher.Hold attachesHeldOff = LoopDetacher.holdOffAttaches();
    try {
      for (String target : targets) worst = Math.max(worst, detach(target, detacher, out, err));
    } finally {
      attachesHeldOff.close();
    }
    out.flush();
    err.flush();
    return worst;
  }

  /**
   * Detaches what {@code target} stands for; the exit code. Tests give a detacher over a fake
   * sysfs.
   */
  static int detach(String target, LoopDetacher detacher, PrintWriter out, PrintWriter err)
      throws IOException {
    try {
      for (Found f : resolve(target, detacher, err)) {
        LoopDetacher.Result r;
        if (f.seen() == null) {
          try {
            r = detacher.detach(f.number());
          } catch (ErrnoException e) {
            if (!e.is(Errno.ENXIO)) throw e;
            throw new CliException(ExitCodes.RUNTIME, "/dev/loop" + f.number() + ": not attached");
          }
        } else {
          try {
            r = detacher.detach(f.seen());
          } catch (ErrnoException e) {
            // Found backed by the image a moment ago, detached since by someone else (or its
            // number passed on to another file): nothing of the image's left there.
            if (e.is(Errno.ENXIO)) continue;
            throw e;
          }
        }
        String dev = r.device().device();
        if (r.lazy()) {
          out.println(
              dev
                  + " busy ("
                  + String.join(", ", r.busyWith())
                  + "): detaches when its last user closes it");
        } else {
          out.println(dev + " detached");
        }
      }
    } catch (ErrnoException e) {
      err.println("partview: " + e.getMessage());
      return LoopErrors.exitCode(e);
    } catch (CliException e) {
      err.println("partview: " + e.getMessage());
      return e.exitCode();
    }
    return ExitCodes.OK;
  }

  /**
   * A device to detach: named by the user, or found backed by an image ({@code seen}: the binding
   * found, which the detach checks is still there, since its number may have passed on since).
   */
  private record Found(int number, LoopStatus seen) {}

  /** The devices {@code target} stands for. */
  private static List<Found> resolve(String target, LoopDetacher detacher, PrintWriter err)
      throws IOException, CliException {
    Path path = Path.of(target);
    String name = target;
    if (Files.exists(path) && !Files.isRegularFile(path)) {
      name = path.toRealPath().toString(); // e.g. a symlink to /dev/loop3
    }
    Matcher m = LOOP.matcher(name);
    if (m.matches()) {
      int number = Integer.parseInt(m.group(1));
      if (!detacher.exists(number)) {
        throw new CliException(ExitCodes.RUNTIME, "/dev/loop" + number + ": no such loop device");
      }
      return List.of(new Found(number, null));
    }
    Matcher part = LOOP_PART.matcher(name);
    if (part.matches()) {
      throw new CliException(
          ExitCodes.USAGE,
          target + " is a partition of /dev/" + part.group(1) + ": detach /dev/" + part.group(1));
    }
    if (!Files.exists(path)) {
      // A deleted image: its loops still show the old path in sysfs.
      return imageLoops(path.toAbsolutePath().normalize(), detacher, err, target);
    }
    if (!Files.isRegularFile(path)) {
      throw new CliException(ExitCodes.USAGE, target + ": neither a loop device nor an image file");
    }
    return imageLoops(path.toRealPath(), detacher, err, target);
  }

  private static List<Found> imageLoops(
      Path image, LoopDetacher detacher, PrintWriter err, String target)
      throws IOException, CliException {
    MountTable mounts = MountTable.read();
    Path asNamed = Path.of(target).toAbsolutePath().normalize();
    List<LoopStatus> loops =
        detacher.backedBy(image, asNamed, mounts, DaemonProcesses::imagesServedAt);
    noteUndecided(mounts, err);
    if (loops.isEmpty()) {
      if (!Files.exists(image)) {
        throw new CliException(
            ExitCodes.RUNTIME, target + ": no such file, and no loop device is backed by it");
      }
      err.println("partview: no loop device is backed by " + image);
    }
    return loops.stream().map(s -> new Found(s.number(), s)).toList();
  }

  /**
   * Loops on a multi-image partview mount whose images nothing can name any more (its daemon was
   * killed): they may or may not belong to IMAGE, so they are left, and the user told.
   */
  private static void noteUndecided(MountTable mounts, PrintWriter err) throws IOException {
    for (MountTable.Entry m : mounts.entries()) {
      if (!m.isPartview() || !m.source().equals(MountTable.MULTI_IMAGE_SOURCE)) continue;
      if (!DaemonProcesses.imagesServedAt(m.target()).isEmpty()) continue;
      for (LoopStatus s : LoopSysfs.system().attached()) {
        if (!MountTable.isUnder(s.backingFile(), m.target())) continue;
        err.println(
            "partview: "
                + s.device()
                + " is backed by "
                + s.backingFile()
                + ", on a mount of several images whose daemon is gone, so nothing says which"
                + " images it served: left attached; detach it by name if it is yours");
      }
    }
  }
}
