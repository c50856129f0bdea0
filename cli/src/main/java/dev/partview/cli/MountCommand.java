package dev.partview.cli;

import dev.partview.fuse.FuseMount;
import dev.partview.fuse.ImageSet;
import dev.partview.fuse.MountException;
import dev.partview.fuse.ViewSpec;
import dev.partview.fuse.sys.Sys;
import dev.partview.table.ReadOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code partview mount IMAGE... MOUNTPOINT}: the partitions as files. By default the command
 * starts a daemon (a second JVM, see {@link DaemonLauncher}) and returns once the mount answers;
 * {@code --foreground} serves from this process until unmounted or interrupted.
 */
@Command(
    name = "mount",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    customSynopsis = "partview mount [OPTIONS] IMAGE... MOUNTPOINT",
    description = {
      "Mount disk images: their partitions become plain files (p1, p2, p5, ...).",
      "",
      "MOUNTPOINT holds p1 p2 p5 ..., disk, offset/OFFSET[:LENGTH] (made on lookup,",
      "e.g. offset/63s:1M), by-label/ and by-partuuid/; with several images, one",
      "folder per image file name. Read-only unless --rw. Returns once the mount",
      "is ready (unless --foreground); stop it with: partview umount MOUNTPOINT.",
      ""
    })
public final class MountCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "2..*",
      paramLabel = "IMAGE... MOUNTPOINT",
      hideParamSyntax = true,
      description = "One or more image files, then an empty folder to mount on.")
  List<String> paths = new ArrayList<>();

  @Option(
      names = "--rw",
      description =
          "Writable: writes go to the image, cut at the end of each file (so a write through pN"
              + " never reaches a neighbour; disk and offset/ views span what they span).")
  boolean rw;

  @Option(
      names = {"-f", "--foreground"},
      description = "Serve from this process until unmounted or interrupted (Ctrl-C unmounts).")
  boolean foreground;

  @Option(
      names = "--view",
      paramLabel = "NAME=OFFSET[:LENGTH]",
      description =
          "An extra file NAME showing the bytes at OFFSET (bytes, or s/K/M/G/T), e.g. efi=2048s:100M.")
  List<String> views = new ArrayList<>();

  @Option(
      names = "-o",
      paramLabel = "OPTS",
      description = "FUSE mount options, comma-separated, e.g. allow_other.")
  List<String> options = new ArrayList<>();

  @Option(
      names = "--sector-size",
      paramLabel = "BYTES",
      converter = ImageOptions.SectorSizeConverter.class,
      description =
          "Sector size of the images (a power of two from 512 to 65536); detected when not"
              + " given.")
  int sectorSize;

  @Option(names = "--fuse-debug", hidden = true, description = "libfuse -d: log every request.")
  boolean fuseDebug;

  /** Set by {@link DaemonLauncher} for the background daemon it starts. */
  @Option(names = "--daemon-child", hidden = true)
  boolean daemonChild;

  @Override
  public Integer call() throws Exception {
    FuseMount.Config config = config();
    PrintWriter err = spec.commandLine().getErr();
    if (!foreground && !daemonChild) {
      // Bad input fails here, at once. The notes come from the daemon, which alone probes the
      // filesystem labels (by-label/ clashes): the launcher relays them once the mount answers.
      run(
          () -> {
            FuseMount.check(config);
            return null;
          });
      return run(() -> new DaemonLauncher(err).launch(config, this::childArguments));
    }
    if (daemonChild) {
      // A session of its own: no terminal's SIGINT or SIGHUP reaches it, and the shell that ran
      // `partview mount` can exit.
      Sys.setsid();
    }
    return run(() -> serve(config, err));
  }

  private int serve(FuseMount.Config config, PrintWriter err) throws Exception {
    try (FuseMount m = FuseMount.prepare(config, err)) {
      Path log = daemonChild ? DaemonLauncher.logFile(m.target()) : null;
      if (daemonChild) {
        // Its launcher, stopped while this daemon served a file opened meanwhile, returned and
        // left the log to it.
        m.afterServedUntilFree(() -> deleteQuietly(log));
      }
      m.mount();
      for (String n : m.notes()) err.println("partview: " + n); // escaped where they are made
      err.println(
          DaemonLauncher.READY_LINE
              + m.source()
              + " on "
              + m.target()
              + (config.writable() ? " (read-write)" : " (read-only)")
              + (daemonChild
                  ? ", pid " + ProcessHandle.current().pid()
                  : "; stop with Ctrl-C or: partview umount " + m.target()));
      err.flush();
      if (daemonChild) removeLogAtCleanEnd(m, log);
      // Not 0 after a libfuse failure: the launcher takes a daemon's 0 for "unmounted by another
      // command", and the log, which then stays, says why.
      if (!m.awaitExit()) return ExitCodes.RUNTIME;
    }
    return ExitCodes.OK;
  }

  /**
   * Once unmounted, the daemon's log (one per mount point, in a runtime folder) has nothing left to
   * say. A shutdown hook, so that it also happens when a signal ends the daemon: the unmount runs
   * in FuseMount's hook, at the same time.
   */
  private static void removeLogAtCleanEnd(FuseMount m, Path log) {
    Thread hook =
        new Thread(
            () -> {
              try {
                if (m.awaitExit(Duration.ofSeconds(15)) && m.endedCleanly()) deleteQuietly(log);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "partview-log-cleanup");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException e) {
      // A signal came with the mount (the launcher stopping an interrupted `partview mount`):
      // FuseMount's own hook unmounts, and the launcher removes the log once this JVM is gone.
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the log stays
    }
  }

  FuseMount.Config config() {
    if (paths.size() < 2) {
      throw new ParameterException(spec.commandLine(), "Missing IMAGE or MOUNTPOINT");
    }
    List<Path> images = new ArrayList<>();
    for (String p : paths.subList(0, paths.size() - 1)) images.add(Path.of(p).toAbsolutePath());
    List<ViewSpec> vs = new ArrayList<>();
    try {
      for (String v : views) vs.add(ViewSpec.parse(v));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ReadOptions ro = ReadOptions.defaults();
    if (sectorSize != 0) {
      try {
        ro = ro.withSectorSize(sectorSize);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--sector-size: " + e.getMessage());
      }
    }
    return new FuseMount.Config(
        images,
        Path.of(paths.get(paths.size() - 1)).toAbsolutePath(),
        rw,
        vs,
        splitOptions(options),
        ro,
        fuseDebug);
  }

  /** {@code -o a,b -o c} → a, b, c; a backslash keeps a comma inside a value. */
  static List<String> splitOptions(List<String> groups) {
    List<String> out = new ArrayList<>();
    for (String g : groups) {
      StringBuilder cur = new StringBuilder();
      for (int i = 0; i < g.length(); i++) {
        char c = g.charAt(i);
        if (c == '\\' && i + 1 < g.length()) {
          cur.append(c).append(g.charAt(++i));
        } else if (c == ',') {
          if (cur.length() > 0) out.add(cur.toString());
          cur.setLength(0);
        } else {
          cur.append(c);
        }
      }
      if (cur.length() > 0) out.add(cur.toString());
    }
    return out;
  }

  /** The arguments that make a daemon child do what this command was asked. */
  List<String> childArguments(FuseMount.Config config, String target) {
    List<String> a = new ArrayList<>(List.of("mount", "--daemon-child"));
    if (config.writable()) a.add("--rw");
    if (sectorSize != 0) a.add("--sector-size=" + sectorSize);
    for (String v : views) a.add("--view=" + v);
    for (String o : config.fuseOptions()) a.add("-o" + o);
    if (fuseDebug) a.add("--fuse-debug");
    if (Verbosity.of(spec)) a.add("--verbose");
    a.add("--");
    for (Path p : config.images()) a.add(p.toString());
    a.add(target);
    return a;
  }

  @FunctionalInterface
  interface Step<T> {
    T run() throws Exception;
  }

  /** Turns the fuse-core failures into one-line errors with the contract's exit codes. */
  static <T> T run(Step<T> step) throws Exception {
    try {
      return step.run();
    } catch (MountException e) {
      int code =
          switch (e.reason()) {
            case USAGE -> ExitCodes.USAGE;
            case ENVIRONMENT -> ExitCodes.ENVIRONMENT;
            case BUSY, FAILED -> ExitCodes.RUNTIME;
          };
      throw new CliException(code, e.getMessage(), e);
    } catch (ImageSet.ImageException e) {
      throw new CliException(
          e.tableError() != null ? ExitCodes.BAD_TABLE : ExitCodes.RUNTIME, e.getMessage(), e);
    } catch (IOException e) {
      throw new CliException(ExitCodes.RUNTIME, Cli.oneLine(e), e);
    }
  }
}
