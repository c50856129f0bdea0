package dev.partview.fuse;

import dev.partview.fuse.sys.ErrnoException;
import dev.partview.fuse.sys.LibC;
import dev.partview.fuse.sys.MountTable;
import dev.partview.fuse.sys.Sys;
import dev.partview.table.ReadOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One mount from start to end, and everything it opened: the images, a raw descriptor of each for
 * libfuse's reads and fallocate, the FUSE session.
 *
 * <ol>
 *   <li>{@link #prepare}: resolve the mount point, open the images, read the tables, build the
 *       tree, load libfuse. Everything that can fail without mounting fails here.
 *   <li>{@link #mount}: remove a dead partview mount left on the folder by a killed daemon, run
 *       libfuse's {@code fuse_main} (blocking, multithreaded, never {@code -s}) on a thread of its
 *       own, and return only once /proc/self/mountinfo lists the mount and a stat through it gets
 *       an answer. (jnr-fuse's non-blocking mode just waits two seconds and hopes.)
 *   <li>{@link #awaitExit}: until someone unmounts.
 *   <li>{@link #unmount}, also run by the JVM shutdown hook on SIGINT/SIGTERM/SIGHUP: a non-lazy
 *       unmount; while the mount is busy it keeps serving, says once what holds it, and retries.
 * </ol>
 *
 * <p>The shutdown hook is this class's own, registered before libfuse starts, and {@code fuse_main}
 * is called directly rather than through jnr-fuse's {@code mount()}: that one registers its hook
 * just before {@code fuse_main}, and a signal then found no mount yet, the hook returned, and the
 * mount(2) that libfuse made a moment later was left dead (ENOTCONN) by the exiting JVM. Now a stop
 * while mounting either keeps libfuse from starting or waits for its mount and removes it.
 */
public final class FuseMount implements AutoCloseable {
  /**
   * How a stop that finds the mount busy ends its line: the daemon keeps serving whoever holds it,
   * and unmounts once it is free. The launcher of a background mount looks for it in the log.
   */
  public static final String SERVING_UNTIL_FREE = "; serving until it is free";

  /**
   * @param images the image files, in the order given
   * @param mountpoint the folder to mount on
   * @param writable {@code --rw}
   * @param views {@code --view NAME=OFFSET[:LENGTH]}, shown in every image folder
   * @param fuseOptions extra {@code -o} options for libfuse, one per element
   * @param readOptions table reading (sector size)
   * @param debug libfuse's {@code -d}: every request on stderr
   */
  public record Config(
      List<Path> images,
      Path mountpoint,
      boolean writable,
      List<ViewSpec> views,
      List<String> fuseOptions,
      ReadOptions readOptions,
      boolean debug) {
    public Config {
      images = List.copyOf(images);
      views = List.copyOf(views);
      fuseOptions = List.copyOf(fuseOptions);
    }
  }

  /** Requests of libfuse2 never exceed 128 KiB (it cannot negotiate max_pages). */
  static final int MAX_IO = 131072;

  /** Options partview sets itself; a user may not override them with {@code -o}. */
  static final Set<String> RESERVED_OPTIONS = Set.of("fsname", "subtype", "rw");

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  /** How long a stop while mounting waits for libfuse's mount(2) (it takes milliseconds). */
  private static final Duration MOUNT_APPEAR_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Test seam: {@code -Dpartview.test.pauseAt=STAGE} holds the mount at STAGE ({@code fuse-main}:
   * libfuse about to start; {@code init}: mounted, the kernel's INIT request not yet answered;
   * {@code ready}: answering, not yet announced) until it is being stopped (a signal, the ready
   * timeout), so that tests can stop it at exactly that moment.
   */
  static final String PAUSE_PROPERTY = "partview.test.pauseAt";

  private final Config config;
  private final String target;
  private final ImageSet images;
  private final PartitionFiles files;
  private final PartitionFs fs;
  private final PrintWriter log;

  /**
   * Raw descriptors of the images (libfuse's reads, fallocate), by identity; set before mounting.
   */
  private volatile Map<Image, Integer> rawFds = Map.of();

  private final CompletableFuture<Void> exited = new CompletableFuture<>();
  private volatile int mountId = -1;
  private volatile boolean started;
  private volatile Set<MountTable.Entry> before = Set.of();
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile Thread shutdownHook;
  private final String pauseAt = System.getProperty(PAUSE_PROPERTY, "");

  private FuseMount(Config config, String target, ImageSet images, PrintWriter log)
      throws IOException {
    this.config = config;
    this.target = target;
    this.images = images;
    this.log = log;
    this.files = buildFiles(config, images, this::fallocate);
    try {
      this.fs = new PartitionFs(files, this::descriptor, log);
    } catch (LinkageError | RuntimeException e) {
      throw new MountException(
          MountException.Reason.ENVIRONMENT,
          "cannot load libfuse.so.2 (install libfuse2; on Debian: apt-get install fuse libfuse2): "
              + e.getMessage(),
          e);
    }
    if (!FdBufvec.layoutHolds()) {
      throw new MountException(
          MountException.Reason.ENVIRONMENT, "mount needs a 64-bit JVM (LP64: x86-64, arm64)");
    }
    fs.onInit(
        () -> {
          try {
            pause("init");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  private static PartitionFiles buildFiles(
      Config config, ImageSet images, PartitionFiles.SpaceAllocator allocator)
      throws MountException {
    try {
      return new PartitionFiles(
          images.images(), config.views(), config.writable(), currentOwner(), allocator);
    } catch (IllegalArgumentException e) {
      throw new MountException(MountException.Reason.USAGE, e.getMessage(), e);
    }
  }

  /**
   * Everything {@link #prepare} checks, without loading libfuse and without keeping anything open:
   * what a launcher runs before it starts a daemon, so that bad input fails at once. The notes for
   * the user are the mount's own ({@link #notes}): only it probes the filesystem labels.
   */
  public static void check(Config config) throws IOException {
    checkOptions(config);
    canonicalTarget(config.mountpoint());
    checkDevFuse();
    try (ImageSet images =
        ImageSet.open(config.images(), config.writable(), config.readOptions(), false)) {
      buildFiles(config, images, (img, mode, off, len) -> {});
    }
  }

  private static void checkDevFuse() throws MountException {
    Path dev = Path.of("/dev/fuse");
    if (!Files.exists(dev)) {
      throw new MountException(
          MountException.Reason.ENVIRONMENT,
          "no /dev/fuse: load the fuse module (modprobe fuse), or give the container the device");
    }
    // libfuse2 opens /dev/fuse itself before it would try fusermount: the device must be ours.
    if (!Files.isReadable(dev) || !Files.isWritable(dev)) {
      throw new MountException(
          MountException.Reason.ENVIRONMENT,
          "no permission to use /dev/fuse (it is usually crw-rw-rw-; here it is not)");
    }
  }

  /**
   * Checks and opens everything; mounts nothing. The caller owns the result and must close it.
   *
   * @throws MountException USAGE for a bad mount point or views, ENVIRONMENT without /dev/fuse or
   *     libfuse2
   * @throws ImageSet.ImageException for an image whose table is corrupt
   * @throws IOException when an image cannot be opened
   */
  public static FuseMount prepare(Config config, PrintWriter log) throws IOException {
    checkOptions(config);
    String target = canonicalTarget(config.mountpoint());
    checkDevFuse();
    ImageSet images = ImageSet.open(config.images(), config.writable(), config.readOptions(), true);
    try {
      return new FuseMount(config, target, images, log);
    } catch (IOException | RuntimeException e) {
      images.close();
      throw e;
    }
  }

  /** {@code max_read} of {@code max_read=65536}. */
  private static String optionKey(String option) {
    int eq = option.indexOf('=');
    return eq < 0 ? option : option.substring(0, eq);
  }

  /** Whether the user's {@code -o} options hold {@code key}, alone or as {@code key=value}. */
  private boolean userOption(String key) {
    return config.fuseOptions().stream().anyMatch(o -> optionKey(o).equals(key));
  }

  private static void checkOptions(Config config) throws MountException {
    for (String o : config.fuseOptions()) {
      String key = optionKey(o);
      if (RESERVED_OPTIONS.contains(key)) {
        throw new MountException(
            MountException.Reason.USAGE,
            "-o "
                + o
                + ": partview sets "
                + key
                + " itself"
                + (key.equals("rw") ? " (use --rw for a writable mount)" : ""));
      }
      if (key.equals("ro") && config.writable()) {
        throw new MountException(MountException.Reason.USAGE, "-o ro contradicts --rw");
      }
    }
  }

  /** Symlink hops {@link #canonicalTarget} follows, as the kernel's MAXSYMLINKS. */
  private static final int MAX_SYMLINKS = 40;

  /**
   * The mount point as /proc/self/mountinfo will spell it: absolute, symlinks and {@code ..}
   * resolved as the kernel resolves them. A folder that mountinfo lists as a mount point is never
   * touched: a stat there would ask its daemon, which may be stopped (the stat then waits for ever)
   * or dead (ENOTCONN). So the parent is resolved with realpath(3), and the last component, when it
   * is a symlink (which mount(2) would follow), is followed here one hop at a time.
   */
  public static String canonicalTarget(Path mountpoint) throws IOException {
    Path abs = mountpoint.toAbsolutePath();
    MountTable mounts = null;
    for (int hops = 0; ; ) {
      Path parent = abs.getParent();
      Path name = abs.getFileName();
      if (parent == null || name == null) {
        throw new MountException(MountException.Reason.USAGE, "cannot mount on /");
      }
      Path realParent;
      try {
        realParent =
            parent.toRealPath(); // "..", "." and links in it resolved by the kernel's rules
      } catch (NoSuchFileException e) {
        throw new MountException(
            MountException.Reason.USAGE, mountpoint + ": no such directory", e);
      }
      if (name.toString().equals(".")) {
        abs = realParent;
        continue;
      }
      if (name.toString().equals("..")) {
        if (realParent.getParent() == null) {
          throw new MountException(MountException.Reason.USAGE, "cannot mount on /");
        }
        abs = realParent.getParent();
        continue;
      }
      Path candidate = realParent.resolve(name);
      if (mounts == null) mounts = MountTable.read();
      if (mounts.at(candidate.toString()).isPresent() || !Files.isSymbolicLink(candidate)) {
        return candidate.toString();
      }
      if (++hops > MAX_SYMLINKS) {
        throw new MountException(
            MountException.Reason.USAGE, mountpoint + ": too many levels of symbolic links");
      }
      // Taken as written: the next round resolves its ".." against real folders, as the kernel
      // does.
      abs = realParent.resolve(Files.readSymbolicLink(candidate));
    }
  }

  public String target() {
    return target;
  }

  /** Things to tell the user (images without a table, views cut at the end of an image). */
  public List<String> notes() {
    List<String> n = new ArrayList<>(images.notes());
    n.addAll(files.notes());
    return n;
  }

  /** What /proc/mounts shows as the source: the image, or {@code partview} for several. */
  public String source() {
    List<Image> list = images.images();
    return list.size() == 1 ? list.get(0).path().toString() : MountTable.MULTI_IMAGE_SOURCE;
  }

  /**
   * Two mounts of one image, one of them writable, are allowed (two partitions written through two
   * mounts are fine), but each keeps its own page cache, so what one writes the other can go on
   * reading stale (as with a filesystem mounted twice): say so, as losetup does for an overlapping
   * device. Single-image mounts only: which images a multi-image mount serves only its daemon
   * knows.
   */
  private void warnOfOtherMounts() throws IOException {
    for (MountTable.Entry e : MountTable.read().entries()) {
      if (!e.isPartview() || e.target().equals(target)) continue;
      boolean otherWritable = List.of(e.options().split(",")).contains("rw");
      if (!config.writable() && !otherWritable) continue;
      for (Image img : images.images()) {
        if (e.source().equals(img.path().toString())) {
          say(
              "partview: warning: "
                  + Names.forTerminal(img.path().toString())
                  + " is also mounted on "
                  + Names.forTerminal(e.target())
                  + (otherWritable ? " (read-write)" : " (read-only)")
                  + ": each mount caches what it reads, so what one writes the other can read"
                  + " stale");
        }
      }
    }
  }

  /** {@link #fuseArgs(Config, String)} for this mount. */
  List<String> fuseArgs() {
    return fuseArgs(config, source());
  }

  /** The arguments after the mount point for {@code fuse_main}; the user's options come last. */
  static List<String> fuseArgs(Config config, String source) {
    List<String> o = new ArrayList<>();
    o.add("fsname=" + escapeOption(source));
    o.add("subtype=partview");
    // The kernel checks the modes below (files belong to the mounting user); with allow_other,
    // other users get exactly what the modes say.
    o.add("default_permissions");
    o.add("big_writes"); // without it libfuse2 writes in 4 KiB requests: 6x slower
    // Reads answer with a descriptor (read_buf): libfuse splices the image's pages into
    // /dev/fuse instead of reading them into a buffer and writing that buffer there (daemon CPU
    // per first read down by a fifth; bench/RESULTS.md, "What made a difference").
    o.add("splice_write");
    o.add("max_write=" + MAX_IO);
    o.add("max_read=" + MAX_IO);
    o.add("max_background=" + ReadAhead.MAX_BACKGROUND); // room for the read-ahead's requests
    // The tree never changes while mounted: let the kernel cache names and attributes.
    o.add("entry_timeout=3600");
    o.add("attr_timeout=3600");
    o.add("negative_timeout=3600");
    if (!config.writable()) o.add("ro");
    o.addAll(config.fuseOptions());
    return List.of("-o", String.join(",", o));
  }

  /** libfuse splits options at commas; a backslash escapes one (and itself). */
  static String escapeOption(String value) {
    return value.replace("\\", "\\\\").replace(",", "\\,");
  }

  /**
   * Mounts and returns once the mount answers.
   *
   * @throws MountException FAILED when libfuse refused (its reason is on stderr) or the mount did
   *     not answer in time; USAGE when the folder is not an empty directory or holds a live
   *     partview mount
   */
  public void mount() throws IOException, InterruptedException {
    Signals.reclaimInterrupt();
    before = clearDeadMount();
    if (!Files.isDirectory(Path.of(target))) {
      throw new MountException(
          MountException.Reason.USAGE,
          target + (Files.exists(Path.of(target)) ? ": not a directory" : ": no such directory"));
    }
    // libfuse's own "nonempty" (-o nonempty) lets the mount hide what the folder holds.
    try (Stream<Path> s = Files.list(Path.of(target))) {
      if (!userOption("nonempty") && s.findAny().isPresent()) {
        throw new MountException(
            MountException.Reason.USAGE,
            target + ": not empty (mount on an empty folder, or give -o nonempty)");
      }
    }
    warnOfOtherMounts();
    openRawFds();
    Thread hook = new Thread(() -> unmountOnShutdown(true), "partview-unmount");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException e) {
      throw new MountException(MountException.Reason.FAILED, "shutting down: not mounting", e);
    }
    shutdownHook = hook;
    Thread t =
        new Thread(
            () -> {
              try {
                // Stopped before libfuse started: never mount. Stopped later: the hook waits.
                if (stopping.getCount() > 0) {
                  pause("fuse-main");
                  int rc = fs.fuseMain(target, config.debug(), fuseArgs());
                  if (rc != 0) {
                    throw new MountException(
                        MountException.Reason.FAILED, "fuse_main returned " + rc);
                  }
                }
                exited.complete(null);
              } catch (Throwable e) {
                exited.completeExceptionally(e);
              }
            },
            "partview-fuse-main");
    started = true;
    t.start();
    String device = awaitReady();
    // A read-ahead the user chose (-o max_readahead=N, which the kernel applied at INIT) stays.
    if (!userOption("max_readahead")) {
      Optional<String> why = ReadAhead.raise(device);
      // A stop meanwhile may have taken the mount, and its knob, away: no news for the user then.
      if (why.isPresent() && stopping.getCount() != 0) say("partview: " + why.get());
    }
    pause("ready");
    if (stopping.getCount() == 0) {
      throw new MountException(MountException.Reason.FAILED, "stopped while mounting on " + target);
    }
    // Not under libfuse's debug log: its thousands of reads would bury the user's own requests.
    if (!config.debug() && !userOption("debug")) {
      Image first = images.images().get(0);
      String disk = images.images().size() == 1 ? "disk" : first.name() + "/disk";
      WorkerWarmUp.run(Path.of(target, disk), first.size());
    }
  }

  /**
   * A partview mount already on the folder: a dead one (its daemon was killed) is unmounted, a live
   * or hung one is an error.
   *
   * @return the mounts on the folder now (none of them a partview one), so that the new one can be
   *     told apart
   */
  private Set<MountTable.Entry> clearDeadMount() throws IOException, InterruptedException {
    Optional<MountTable.Entry> old = MountTable.read().at(target);
    if (old.isPresent() && old.get().isPartview()) {
      MountProbe.State state = MountProbe.probe(target, PROBE_TIMEOUT);
      String src = old.get().source();
      switch (state) {
        case ALIVE ->
            throw new MountException(
                MountException.Reason.USAGE,
                target
                    + " is already a partview mount (of "
                    + src
                    + "): run partview umount "
                    + target
                    + " first");
        case HUNG ->
            throw new MountException(
                MountException.Reason.FAILED,
                "a partview mount on "
                    + target
                    + " does not answer: run partview umount "
                    + target);
        case DEAD -> {
          Unmounter.Result r = Unmounter.unmount(target);
          if (!r.unmounted()) {
            throw new MountException(
                r.busy() ? MountException.Reason.BUSY : MountException.Reason.FAILED,
                "a dead partview mount (of "
                    + src
                    + ") is on "
                    + target
                    + ": "
                    + r.message()
                    + (r.busy() ? "; once they let go, run partview umount " + target : ""));
          }
          say(
              "partview: removed a dead partview mount of "
                  + src
                  + " from "
                  + target
                  + " (its daemon had died)");
        }
        case GONE -> {
          // unmounted by someone else meanwhile: nothing to clear
        }
      }
    }
    // Only the folder's own: a mount elsewhere that goes away while libfuse mounts hands its id
    // to the new mount (ids are reused lowest first), which would then never look like ours.
    Set<MountTable.Entry> here = new HashSet<>();
    for (MountTable.Entry e : MountTable.read().entries()) {
      if (e.target().equals(target)) here.add(e);
    }
    return here;
  }

  /**
   * @return the mount's device, {@code major:minor}
   */
  private String awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      if (exited.isDone()) {
        String why;
        try {
          exited.get();
          // libfuse returns 0 only once its mount is gone: unmounted before it answered us
          why =
              stopping.getCount() == 0
                  ? "stopped while mounting on " + target
                  : "the mount on " + target + " was unmounted by another command as it started";
        } catch (ExecutionException e) {
          why = "libfuse could not mount on " + target + ": " + e.getCause().getMessage();
        }
        throw new MountException(MountException.Reason.FAILED, why);
      }
      // libfuse 2 mounts before it parses its own options, and undoes the mount when one is
      // unknown: the mount must still be ours after it answered, or the answer was not its own.
      Optional<MountTable.Entry> e = ours();
      if (e.isPresent()
          && MountProbe.probe(target, PROBE_TIMEOUT) == MountProbe.State.ALIVE
          && ours().equals(e)) {
        mountId = e.get().id();
        return e.get().device();
      }
      if (System.nanoTime() > deadline) {
        unmountOnShutdown(false);
        throw new MountException(
            MountException.Reason.FAILED,
            "the mount on "
                + target
                + " did not answer within "
                + READY_TIMEOUT.toSeconds()
                + " s");
      }
      Thread.sleep(5);
    }
  }

  /** The partview mount on the folder that was not there before {@link #mount}, if any yet. */
  private Optional<MountTable.Entry> ours() throws IOException {
    Optional<MountTable.Entry> e = MountTable.read().at(target);
    return e.filter(m -> m.isPartview() && !before.contains(m));
  }

  /**
   * Waits until the filesystem is unmounted (by anyone) and libfuse has returned.
   *
   * @return false when libfuse ended with an error (said on the log)
   */
  public boolean awaitExit() throws InterruptedException {
    try {
      exited.get();
      return true;
    } catch (ExecutionException e) {
      say("partview: libfuse ended with " + e.getCause());
      return false;
    }
  }

  /** libfuse has returned, and without an error. */
  public boolean endedCleanly() {
    return exited.isDone() && !exited.isCompletedExceptionally();
  }

  public boolean exited() {
    return exited.isDone();
  }

  /** Like {@link #awaitExit()}, for at most {@code timeout}; true if libfuse has returned. */
  public boolean awaitExit(java.time.Duration timeout) throws InterruptedException {
    try {
      exited.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // ended with an error: still ended
    } catch (TimeoutException e) {
      return false;
    }
    return true;
  }

  /**
   * Unmounts (non-lazy) and waits for libfuse to return.
   *
   * @return null, or why the mount could not be removed (busy: what holds it)
   */
  public Unmounter.Result unmount() throws IOException, InterruptedException {
    if (exited.isDone() || mountId < 0) return new Unmounter.Result(true, "", List.of());
    Unmounter.Result r = Unmounter.unmount(target);
    if (r.unmounted()) awaitLibfuse();
    return r;
  }

  /**
   * The shutdown path (signals): unmount without {@code -z}; if busy, keep serving whoever holds
   * the mount (a loop device reading through it would get I/O errors from a dead daemon), say once
   * what holds it, and retry until it is free. Also the ready timeout's way out ({@code signalled}
   * false).
   */
  private void unmountOnShutdown(boolean signalled) {
    stopping.countDown();
    if (exited.isDone() || !started) return;
    boolean told = false;
    int anonymous = 0;
    try {
      if (mountId < 0) {
        // A stop while mounting: libfuse may not have made its mount yet. Leaving now would let
        // the exiting JVM leave it dead, so wait until it shows (or libfuse gives up).
        Optional<MountTable.Entry> e = awaitOurMount();
        if (e.isEmpty()) return;
        mountId = e.get().id();
      }
      while (!exited.isDone()) {
        int id = mountId;
        if (MountTable.read().entries().stream()
            .noneMatch(e -> e.id() == id && e.target().equals(target))) {
          break;
        }
        Unmounter.Result r = Unmounter.unmount(target, !told); // holders: once, for the message
        if (r.unmounted()) break;
        // Busy with no holder named is, while starting, this process's own probe or warm-up
        // reads, done in a moment: not worth a line unless it lasts.
        if (!told && (r.busy() || ++anonymous > 4)) {
          say("partview: cannot unmount " + target + " yet, " + r.message() + SERVING_UNTIL_FREE);
          told = true;
        }
        Thread.sleep(500);
      }
      awaitLibfuse();
      // Not after the ready timeout: its error is still to be written to the daemon's log.
      if (signalled && told && endedCleanly()) afterServedUntilFree.run();
    } catch (IOException e) {
      say("partview: unmounting " + target + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private volatile Runnable afterServedUntilFree = () -> {};

  /**
   * What to do once a stop that found the mount busy (and said it serves until it is free) has
   * removed it: by then whoever launched the mount has long returned.
   */
  public void afterServedUntilFree(Runnable action) {
    afterServedUntilFree = action;
  }

  /** Ours once mountinfo shows it; empty once libfuse has returned, or after a timeout. */
  private Optional<MountTable.Entry> awaitOurMount() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + MOUNT_APPEAR_TIMEOUT.toNanos();
    while (!exited.isDone()) {
      Optional<MountTable.Entry> e = ours();
      if (e.isPresent()) return e;
      if (System.nanoTime() > deadline) {
        say(
            "partview: libfuse neither mounted on "
                + target
                + " nor returned; if it is left mounted, run partview umount "
                + target);
        return Optional.empty();
      }
      Thread.sleep(5);
    }
    return Optional.empty();
  }

  /** The test seam of {@link #PAUSE_PROPERTY}. */
  private void pause(String stage) throws InterruptedException {
    if (!stage.equals(pauseAt)) return;
    say("partview: test pause at " + stage);
    stopping.await();
  }

  private void awaitLibfuse() throws InterruptedException {
    try {
      exited.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // unmounted; libfuse's return value carries nothing more
    }
  }

  /**
   * One more descriptor per image, besides its FileChannel: libfuse reads through it (see {@link
   * PartitionFs#read_buf}), and on --rw mounts fallocate goes through it. Opened by path like the
   * channel, a moment later, and checked to name the file whose device and inode ImageSet read
   * right after opening the channel.
   */
  private void openRawFds() throws MountException {
    Map<Image, Integer> fds = new IdentityHashMap<>();
    boolean done = false;
    try {
      for (Image img : images.images()) {
        String path = img.path().toString();
        try {
          fds.put(img, Sys.open(path, config.writable() ? LibC.O_RDWR : LibC.O_RDONLY));
        } catch (ErrnoException e) {
          throw new MountException(MountException.Reason.FAILED, e.getMessage());
        }
        Object key;
        try {
          // /proc/self/fd/N leads to the file the descriptor has open, whatever the path names now
          key =
              Files.readAttributes(
                      Path.of("/proc/self/fd/" + fds.get(img)), BasicFileAttributes.class)
                  .fileKey();
        } catch (IOException e) {
          throw new MountException(
              MountException.Reason.FAILED, path + ": cannot check what was opened: " + e, e);
        }
        if (img.fileKey() != null && !img.fileKey().equals(key)) {
          throw new MountException(
              MountException.Reason.FAILED,
              path + ": replaced by another file while mounting; mount again");
        }
      }
      done = true;
    } finally {
      if (!done) for (int fd : fds.values()) Sys.close(fd);
    }
    rawFds = Collections.unmodifiableMap(fds);
  }

  /** {@link PartitionFs.Descriptors}: only the images this mount opened. */
  private int descriptor(Image image) throws FsException {
    Integer fd = rawFds.get(image);
    if (fd == null) throw new FsException(Errno.EIO, image.path().toString(), "not open");
    return fd;
  }

  /** {@link PartitionFiles.SpaceAllocator} over the raw descriptors. */
  private void fallocate(Image image, int mode, long offset, long length) throws FsException {
    int fd = descriptor(image); // only reached on --rw mounts: PartitionFiles refuses the others
    try {
      Sys.fallocate(fd, mode, offset, length, image.path().toString());
    } catch (ErrnoException e) {
      throw new FsException(
          Errno.fromValue(e.errno()),
          image.path().toString(),
          String.format(Locale.ROOT, "fallocate(0x%x, %d, %d)", mode, offset, length));
    }
  }

  private void say(String line) {
    log.println(line);
    log.flush();
  }

  private static PartitionFiles.Owner currentOwner() {
    var u = new com.sun.security.auth.module.UnixSystem();
    return new PartitionFiles.Owner((int) u.getUid(), (int) u.getGid());
  }

  /** Closes the images and descriptors; call after {@link #awaitExit} or a failed mount. */
  @Override
  public void close() {
    Thread hook = shutdownHook;
    shutdownHook = null;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook is running or done
      }
    }
    // Only once libfuse is gone: it reads through these descriptors after read_buf returns, and a
    // number closed under it could be reused for another file; writes go through the images'
    // channels. A mount stopped while starting may leave libfuse serving whoever opened a file
    // meanwhile (the hook waits for a busy mount): the process exit closes them then.
    if (!started || exited.isDone()) {
      Map<Image, Integer> fds = rawFds;
      rawFds = Map.of();
      for (int fd : fds.values()) Sys.close(fd);
      images.close();
    }
  }
}
