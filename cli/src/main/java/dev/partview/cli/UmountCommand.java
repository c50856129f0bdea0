package dev.partview.cli;

import dev.partview.fuse.FuseMount;
import dev.partview.fuse.MountProbe;
import dev.partview.fuse.Unmounter;
import dev.partview.fuse.sys.MountTable;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code partview umount MOUNTPOINT}: a clean, non-lazy unmount ({@code fusermount -u}, or {@code
 * umount} as root). It also removes a dead mount left by a killed daemon, and when the mount is
 * busy it says what holds it: loop devices backed by its files, mounts below it, processes with
 * their working directory or open files in it.
 */
@Command(
    name = "umount",
    mixinStandardHelpOptions = true,
    description = {
      "Unmount a partview mount; when it is busy, say what holds it.",
      "",
      "Never lazy: a loop device or a process inside keeps the mount busy, and the",
      "error names it. Also removes a mount whose daemon was killed (\"Transport",
      "endpoint is not connected\"); a daemon that does not answer (e.g. stopped",
      "with SIGSTOP) is reported with its pid after 2 s, not waited for.",
      ""
    })
public final class UmountCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "MOUNTPOINT", description = "The folder partview mounted on.")
  String mountpoint;

  static final Duration DAEMON_EXIT_WAIT = Duration.ofSeconds(10);

  /** How long the mount's daemon gets to answer before umount says it does not. */
  private static final Duration PROBE = Duration.ofSeconds(2);

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    return MountCommand.run(
        () -> {
          String target = FuseMount.canonicalTarget(Path.of(mountpoint));
          Optional<MountTable.Entry> e = MountTable.read().at(target);
          if (e.isEmpty()) {
            boolean there = Files.exists(Path.of(target), LinkOption.NOFOLLOW_LINKS);
            throw new CliException(
                ExitCodes.RUNTIME, target + (there ? ": not mounted" : ": no such directory"));
          }
          if (!e.get().isPartview()) {
            throw new CliException(
                ExitCodes.USAGE,
                target + " is not a partview mount (it is " + e.get().type() + "): use umount");
          }
          MountProbe.State state = MountProbe.probe(target, PROBE);
          var daemons = DaemonProcesses.serving(target);
          if (state == MountProbe.State.HUNG) throw hung(target, daemons);
          if (state == MountProbe.State.GONE) {
            throw new CliException(ExitCodes.RUNTIME, target + ": not mounted (any more)");
          }
          boolean dead = state == MountProbe.State.DEAD;
          Unmounter.Result r = Unmounter.unmount(target);
          // A loop device detached a moment ago lets go of its backing file a little later (the
          // kernel releases it after the detach returns): a mount that failed with nothing
          // found holding it gets a few more tries over a second before the error.
          for (int i = 0; i < 10 && !r.unmounted() && !r.busy(); i++) {
            Thread.sleep(100);
            r = Unmounter.unmount(target);
          }
          if (!r.unmounted()) {
            String why = r.busy() ? " is busy, " : ": not unmounted: ";
            String then =
                dead && r.busy()
                    ? " (its daemon had died); once they let go, run partview umount " + target
                    : "";
            throw new CliException(ExitCodes.RUNTIME, target + why + r.message() + then);
          }
          if (dead) {
            // a killed daemon could not remove its log (a live one does, as it exits)
            Files.deleteIfExists(DaemonLauncher.logFile(target));
            err.println(
                "partview: removed the dead mount of "
                    + e.get().source()
                    + " from "
                    + target
                    + " (its daemon had died)");
            err.flush();
          }
          // The daemon closes the image once libfuse returns; wait for that, so that a script
          // can move or delete the image right after this command.
          DaemonProcesses.awaitExit(daemons, DAEMON_EXIT_WAIT);
          return ExitCodes.OK;
        });
  }

  /**
   * A daemon that does not answer: our own probe is now stuck in the mount and keeps it busy, so no
   * unmount could succeed; say why and what to do instead.
   */
  private static CliException hung(String target, List<ProcessHandle> daemons) {
    return new CliException(
        ExitCodes.RUNTIME,
        target
            + ": "
            + DaemonProcesses.notAnswering(daemons, PROBE)
            + ", so the mount cannot be released; then run partview umount "
            + target
            + " again");
  }
}
