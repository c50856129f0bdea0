package dev.partview.cli;

import dev.partview.fuse.FuseMount;
import dev.partview.fuse.MountException;
import dev.partview.fuse.MountProbe;
import dev.partview.fuse.sys.MountTable;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Starts the mount daemon in the background. Java cannot fork, so the daemon is a second JVM (the
 * same java binary and jar) running {@code partview mount --daemon-child …}, in a session of its
 * own, with stdin from /dev/null and stdout/stderr into a log file named after the mount point.
 * This process returns only once the mount answers: /proc/self/mountinfo lists a new {@code
 * fuse.partview} mount on the folder and a stat through it gets an answer. If the daemon dies
 * first, its own error lines are printed and its exit code returned, but for an {@code -o} option
 * refused ({@link FuseOptionRefusal}: one usage line) and a daemon that ended with 0 (its mount
 * answered and was removed by another command before this process saw it).
 *
 * <p>The daemon JVM gets its own flags, whatever the CLI JVM was started with: a small fixed heap
 * (it holds no data, only the tree; the bytes move between the kernel's buffers and the image's
 * page cache), the build's class-data-sharing archive when it fits, and C1 only: its Java code is
 * thin glue around two kernel copies per request. Profiled on 2 cores (perf, bench/run), C2 was
 * still compiling the read path during the first read after mounting (60–120 ms of CPU taken from
 * the reader and the libfuse workers); with C1 alone the first read ran 10–15% faster, streaming
 * and writes no slower, and the daemon's peak RSS was 70 MiB instead of 86 MiB.
 */
final class DaemonLauncher {

  /** JVM flags of the daemon. Extra ones: PARTVIEW_DAEMON_JAVA_OPTS. */
  static final List<String> JVM_FLAGS =
      List.of(
          "-Xms48m",
          "-Xmx48m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:ReservedCodeCacheSize=32m",
          "-XX:MaxMetaspaceSize=64m",
          "-Xss512k",
          "-XX:-UsePerfData",
          "-Dfile.encoding=UTF-8");

  /**
   * Java 24 and later warn on stderr, once per run, when a library loads native code (jffi's {@code
   * System.load}) or uses {@code sun.misc.Unsafe}'s memory access (jffi), unless these options
   * allow it; Java 17 refuses the second as unknown. bin/partview does the same for the commands it
   * starts.
   */
  static List<String> accessFlags(int javaFeature) {
    return javaFeature >= 24
        ? List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
        : List.of();
  }

  /** Tests shorten it with {@code -Dpartview.test.readyTimeoutSeconds=N}. */
  static final Duration READY_TIMEOUT =
      Duration.ofSeconds(Long.getLong("partview.test.readyTimeoutSeconds", 60));

  /** How long a mount already on the folder gets to answer. */
  private static final Duration LIVE_PROBE = Duration.ofSeconds(3);

  /** How long a daemon stopped at the ready timeout gets to remove its mount and exit. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private final PrintWriter err;

  DaemonLauncher(PrintWriter err) {
    this.err = err;
  }

  /**
   * @param childArgs the daemon's arguments for the canonical mount point
   * @return the exit code for {@code partview mount}
   */
  int launch(FuseMount.Config config, BiFunction<FuseMount.Config, String, List<String>> childArgs)
      throws IOException, InterruptedException {
    String target = FuseMount.canonicalTarget(config.mountpoint());
    Path log = logFile(target);
    // Two launches on one folder take turns, so that the second finds the first one's mount (and
    // they do not share the log file, which a failing daemon's launcher deletes).
    Path lockFile = lockFile(target);
    FileChannel lock = lockLaunches(lockFile);
    // Ctrl-C (or SIGTERM, SIGHUP) before the mount is announced: stop the daemon too, so that an
    // interrupted mount leaves the folder as it was (the daemon runs in a session of its own, so
    // the terminal's signal never reaches it), and remove the lock file.
    DaemonStart daemon = new DaemonStart(log, lockFile, err);
    Thread onExit = new Thread(daemon::stopAtExit, "partview-mount-interrupted");
    try {
      Runtime.getRuntime().addShutdownHook(onExit);
    } catch (IllegalStateException e) { // the JVM is already exiting on a signal: start nothing
      releaseLaunchLock(lockFile, lock);
      return ExitCodes.RUNTIME;
    }
    try {
      refuseLiveMount(target);
      return start(config, childArgs, target, log, daemon);
    } finally {
      // Else the exit hook removes the lock file, and the lock goes with the process: one remover.
      if (removeHook(onExit)) releaseLaunchLock(lockFile, lock);
    }
  }

  /**
   * Removes the lock file while still holding it (a launch waiting on it sees it go), then lets go.
   */
  private static void releaseLaunchLock(Path lockFile, FileChannel lock) throws IOException {
    Files.deleteIfExists(lockFile);
    lock.close();
  }

  /** False when the JVM is already exiting, and so runs the hook. */
  private static boolean removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** The folder's launch lock file, beside its log; its holder removes it as it lets go. */
  static Path lockFile(String target) throws IOException {
    return Path.of(logFile(target) + ".lock");
  }

  /**
   * Waits for the folder's launch lock (an fcntl lock, gone with the process at the latest). A
   * launch that was waiting when the holder removed the file holds the lock of a file nobody else
   * sees: it notices (its descriptor is of a deleted file) and locks the path's new file instead.
   */
  private static FileChannel lockLaunches(Path lockFile) throws IOException {
    while (true) {
      FileChannel ch =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        ch.lock(); // released when the channel closes
        if (!openOnlyAsDeleted(lockFile)) return ch;
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
      ch.close();
    }
  }

  /**
   * Whether this process has {@code file} open only as a file since removed: the kernel names such
   * a descriptor {@code PATH (deleted)} in /proc/self/fd. Reading the links opens nothing, which
   * matters: closing any other descriptor of the file would drop our fcntl lock.
   */
  static boolean openOnlyAsDeleted(Path file) throws IOException {
    String live = file.toString();
    String gone = live + " (deleted)";
    boolean deleted = false;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          continue; // closed meanwhile (e.g. the stream's own descriptor)
        }
        if (target.equals(live)) return false;
        if (target.equals(gone)) deleted = true;
      }
    }
    return deleted;
  }

  private int start(
      FuseMount.Config config,
      BiFunction<FuseMount.Config, String, List<String>> childArgs,
      String target,
      Path log,
      DaemonStart daemon)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.addAll(JVM_FLAGS);
    cmd.addAll(accessFlags(Runtime.version().feature()));
    String extra = System.getenv("PARTVIEW_DAEMON_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) cmd.addAll(List.of(extra.strip().split("\\s+")));
    String cp = classPath();
    cmd.addAll(sharedArchive(cp));
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(Main.class.getName());
    cmd.addAll(childArgs.apply(config, target));

    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.directory(new File("/")); // holds no folder busy
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // One open file for both streams: two opens (truncate + append) would keep two offsets, and
    // stdout would overwrite the stderr lines the parent relays.
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    Optional<Process> child = daemon.start(pb);
    return child.isEmpty()
        ? ExitCodes.RUNTIME
        : awaitReady(daemon, child.get(), target, log, config.fuseOptions());
  }

  /**
   * The daemon process, started unless the exit hook came first; the hook then stops it, removes
   * its log (the user interrupted: nothing in it is news) and the launch's lock file.
   */
  private static final class DaemonStart {
    private final Path log;
    private final Path lockFile;
    private final PrintWriter err;
    private Process child;
    private boolean exiting;

    DaemonStart(Path log, Path lockFile, PrintWriter err) {
      this.log = log;
      this.lockFile = lockFile;
      this.err = err;
    }

    synchronized Optional<Process> start(ProcessBuilder pb) throws IOException {
      if (!exiting) child = pb.start();
      return Optional.ofNullable(child);
    }

    private final CountDownLatch stopped = new CountDownLatch(1);

    synchronized boolean exiting() {
      return exiting;
    }

    void awaitStopped() throws InterruptedException {
      stopped.await();
    }

    void stopAtExit() {
      Process c;
      synchronized (this) {
        exiting = true;
        c = child;
      }
      try {
        if (c != null && stopUnlessServing(c)) Files.deleteIfExists(log);
        Files.deleteIfExists(lockFile); // the lock itself goes with the process
      } catch (IOException e) {
        // the files stay
      } finally {
        stopped.countDown();
      }
    }

    /** SIGKILL, SIGTERM having come STOP_TIMEOUT ago: it may leave a dead mount, so say so. */
    private boolean killed(Process c) {
      try {
        c.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      err.println(
          "partview: the daemon (pid "
              + c.pid()
              + ") did not stop and was killed; its log: "
              + log
              + "; if a mount is left, run partview umount on it");
      err.flush();
      return false;
    }

    /**
     * SIGTERM, as {@link #stop}; but a daemon whose mount a process opened meanwhile says that it
     * serves it until it is free (FuseMount's stop never leaves a holder, a loop device say, with a
     * dead mount): then its line goes to the user and the daemon is left to finish, not killed.
     *
     * @return whether the daemon has exited; false also when it goes on serving
     */
    boolean stopUnlessServing(Process c) {
      c.destroy();
      long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
      try {
        while (!c.waitFor(100, TimeUnit.MILLISECONDS)) {
          Optional<String> serving =
              logLines(log).stream()
                  .filter(l -> l.endsWith(FuseMount.SERVING_UNTIL_FREE))
                  .findFirst();
          if (serving.isPresent()) {
            err.println(serving.get() + ", then unmounts it (daemon pid " + c.pid() + ")");
            err.flush();
            return false;
          }
          if (System.nanoTime() > deadline) return killed(c);
        }
        return true;
      } catch (IOException e) {
        return killed(c);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** SIGTERM: the daemon removes its mount, if it made one, and exits; wait for that. */
  private static boolean stop(Process child) {
    child.destroy();
    try {
      if (child.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) return true;
      child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private int awaitReady(
      DaemonStart daemon, Process child, String target, Path log, List<String> userOptions)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      if (daemon.exiting()) {
        // The hook stops the daemon: keep the launch lock until it has, so that the next launch
        // on this folder does not find the mount on its way out. Nothing to relay.
        daemon.awaitStopped();
        return ExitCodes.RUNTIME;
      }
      if (!child.isAlive()) {
        int code = child.exitValue();
        Optional<MountException> refused = FuseOptionRefusal.find(logLines(log), userOptions);
        if (refused.isPresent()) {
          Files.deleteIfExists(log);
          throw refused.get();
        }
        if (code == 0) {
          // The daemon ends with 0 only once the mount it announced is gone: an unmount (a racing
          // `partview umount`, say) came before this process saw the mount answer. The mount was
          // made, as asked; that it is gone again is the other command's doing.
          relayNotes(log);
          Files.deleteIfExists(log);
          err.println(
              "partview: the mount on "
                  + target
                  + " answered, then was unmounted by another command");
          err.flush();
          return ExitCodes.OK;
        }
        relay(log);
        Files.deleteIfExists(log); // its words went to the user just now
        return code;
      }
      if (saidReady(log)) {
        // The daemon saw its mount answer; check it from here too (same view of the mounts as the
        // caller's next command). Mount ids are no help: the id of a dead mount the daemon just
        // removed is handed to the new one.
        Optional<MountTable.Entry> e = MountTable.read().at(target);
        if (e.isPresent()
            && e.get().isPartview()
            && MountProbe.probe(target, Duration.ofSeconds(5)) == MountProbe.State.ALIVE) {
          relayNotes(log); // e.g. that a dead mount was removed first
          return ExitCodes.OK;
        }
      }
      if (System.nanoTime() > deadline) {
        // Wait for the daemon to stop, so that a failed `partview mount` leaves the folder as it
        // found it.
        boolean stopped = stop(child);
        relay(log);
        String left = "";
        Optional<MountTable.Entry> e = MountTable.read().at(target);
        if (e.isPresent() && e.get().isPartview()) {
          left = "; its mount is left on " + target + ": run partview umount " + target;
        }
        throw new MountException(
            MountException.Reason.FAILED,
            "the mount on "
                + target
                + " was not ready after "
                + READY_TIMEOUT.toSeconds()
                + " s"
                + (stopped ? "" : " and the daemon did not stop (killed)")
                + left
                + " (log: "
                + log
                + ")");
      }
      Thread.sleep(10);
    }
  }

  /** The daemon's log so far; none once it is gone (a daemon whose mount has ended removes it). */
  private static List<String> logLines(Path log) throws IOException {
    try {
      // Not readAllLines: it throws on bytes that are not UTF-8 (libfuse's debug lines quote file
      // names as given); decoding replaces them.
      return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /** The line the daemon writes once its mount answers. */
  static final String READY_LINE = "partview: serving ";

  private static boolean saidReady(Path log) throws IOException {
    for (String line : logLines(log)) {
      if (line.startsWith(READY_LINE)) return true;
    }
    return false;
  }

  /**
   * A live partview mount on the folder is an error at once (the daemon would say the same, but the
   * probe here would take the old mount for the new one); a dead one the daemon removes.
   */
  private static void refuseLiveMount(String target) throws IOException, InterruptedException {
    Optional<MountTable.Entry> e = MountTable.read().at(target);
    if (e.isEmpty() || !e.get().isPartview()) return;
    MountProbe.State s = MountProbe.probe(target, LIVE_PROBE);
    if (s == MountProbe.State.ALIVE) {
      throw new MountException(
          MountException.Reason.USAGE,
          target
              + " is already a partview mount (of "
              + e.get().source()
              + "): run partview umount "
              + target
              + " first");
    }
    if (s == MountProbe.State.HUNG) {
      throw new MountException(
          MountException.Reason.FAILED,
          "the partview mount on "
              + target
              + " (of "
              + e.get().source()
              + "): "
              + DaemonProcesses.notAnswering(DaemonProcesses.serving(target), LIVE_PROBE)
              + ", then run partview umount "
              + target);
    }
  }

  /**
   * After a mount that answered: the daemon's own notes only ({@code partview: …}), not the rest of
   * its log, which with {@code -o debug} holds every request libfuse served so far (the warm-up's
   * alone are tens of thousands of lines).
   */
  private void relayNotes(Path log) throws IOException {
    for (String line : logLines(log)) {
      if (line.startsWith("partview: ") && !line.startsWith(READY_LINE)) err.println(line);
    }
    err.flush();
  }

  /** The daemon's own words: its error lines (libfuse's included) go to the user. */
  private void relay(Path log) {
    try {
      for (String line : logLines(log)) {
        if (!line.isBlank()) err.println(line);
      }
    } catch (IOException e) {
      err.println("partview: (cannot read the daemon's log " + log + ": " + e.getMessage() + ")");
    }
    err.flush();
  }

  /**
   * The class-data-sharing archive the build made beside the jar (cli/src/build/cds-archive.sh), on
   * the same terms as bin/partview: newer than the jar, and made by this very java for this very
   * jar path ({@code partview.jsa.key}). It saves the daemon a good part of its start-up.
   */
  static List<String> sharedArchive(String classPath) {
    if (!classPath.endsWith(".jar")) return List.of();
    Path jar = Path.of(classPath);
    Path jsa = Path.of(classPath.substring(0, classPath.length() - 4) + ".jsa");
    Path key = Path.of(jsa + ".key");
    try {
      if (!Files.isRegularFile(jsa)
          || Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) <= 0) {
        return List.of();
      }
      List<String> lines = Files.readAllLines(key, StandardCharsets.UTF_8);
      String java = Path.of(javaBinary()).toRealPath().toString();
      if (lines.size() >= 2 && lines.get(0).equals(java) && lines.get(1).equals(classPath)) {
        return List.of("-XX:SharedArchiveFile=" + jsa, "-Xshare:auto");
      }
    } catch (IOException e) {
      // no archive, or no key: the JVM's own default archive serves
    }
    return List.of();
  }

  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The jar this class came from; when run from classes (tests), the class path as given. */
  static String classPath() {
    try {
      Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(self)) return self.toAbsolutePath().toString();
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // fall through to the class path
    }
    List<String> abs = new ArrayList<>();
    for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!p.isEmpty()) abs.add(Path.of(p).toAbsolutePath().toString());
    }
    return String.join(File.pathSeparator, abs);
  }

  /**
   * {@code $XDG_RUNTIME_DIR/partview/<mountpoint>.log}; for root {@code /run/partview}; otherwise a
   * private {@code /tmp/partview-UID}. The name spells the mount point with {@code _} for odd
   * characters and a hash against collisions.
   */
  static Path logFile(String target) throws IOException {
    Path dir = runtimeDir().resolve("partview");
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    String name = target.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^_+", "");
    if (name.length() > 100) name = name.substring(name.length() - 100);
    return dir.resolve(name + "-" + Integer.toHexString(target.hashCode()) + ".log");
  }

  private static Path runtimeDir() throws IOException {
    String xdg = System.getenv("XDG_RUNTIME_DIR");
    if (xdg != null && !xdg.isEmpty() && Files.isDirectory(Path.of(xdg))) return Path.of(xdg);
    long uid = new com.sun.security.auth.module.UnixSystem().getUid();
    if (uid == 0 && Files.isWritable(Path.of("/run"))) return Path.of("/run");
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"), "partview-" + uid);
    if (!Files.isDirectory(tmp, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Object owner = Files.getAttribute(tmp, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if (!(owner instanceof Integer o) || o != uid) {
      throw new MountException(
          MountException.Reason.ENVIRONMENT, tmp + " belongs to another user: set XDG_RUNTIME_DIR");
    }
    return tmp;
  }
}
