package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.cli.Readme.Block;
import dev.partview.cli.Readme.Step;
import dev.partview.fuse.loop.LoopStatus;
import dev.partview.fuse.loop.LoopSysfs;
import dev.partview.fuse.sys.MountTable;
import dev.partview.testimages.IntegrationEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs README.md's examples as written, in README order, on the bundled sample images, and compares
 * the output each one shows with what the command really prints: an edit of the README, or of the
 * tool, that makes the two disagree fails here.
 *
 * <p>The examples run in a folder that stands in for the checkout ({@code bin}, {@code cli} and
 * {@code test-images} are the repository's), with the README's install lines done first, so {@code
 * partview} on the PATH is this build's {@code bin/partview}. The absolute paths of the examples
 * ({@code /mnt}, {@code /usr/local/bin}, {@code /sbin}, {@code /etc}, {@code /srv}) are moved under
 * a stand-in root in that folder; only {@code mount -t fuse.partview} needs the real {@code
 * /sbin/mount.fuse.partview}, linked for that one command when it does not exist. {@code list},
 * {@code offset} and {@code extract} examples, and those marked {@code # as a user}, run as {@code
 * nobody}. Everything mounted or attached under the folder is released in {@link #release}.
 */
class ReadmeIT {
  static final Path SBIN_HELPER = Path.of("/sbin/mount.fuse.partview");
  static final String USER = "nobody";

  /** The stand-in checkout, where the examples run. */
  Path work;

  /** The stand-in for /: the examples' /mnt, /usr/local, /sbin, /etc and /srv. */
  Path root;

  /** README loop numbers to real ones (the README's /dev/loop3 is whatever the kernel gave). */
  final Map<String, String> loops = new HashMap<>();

  final LoopSysfs sysfs = LoopSysfs.system();

  @BeforeEach
  void setUp() throws Exception {
    IntegrationEnvironment.requireFuse();
    IntegrationEnvironment.requireLoop();
    for (String tool :
        List.of("runuser", "xz", "debugfs", "mlabel", "mount", "umount", "man", "sha256sum")) {
      IntegrationEnvironment.requireTool(tool);
    }
    Processes.jar();
    work = Files.createTempDirectory("partview-readme").toRealPath();
    // The unprivileged examples write here as nobody (extract -o p1.img).
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    root = Files.createDirectories(work.resolve("root"));
    Files.createDirectories(root.resolve("mnt"));
    standInCheckout();
  }

  @Test
  void examplesRunAsShown() throws Exception {
    List<Block> blocks = Readme.blocks(Readme.text());
    install(blocks);
    int steps = 0;
    for (Block b : blocks) {
      if (b.info().equals("console")) {
        for (Step s : Readme.steps(b)) {
          run(s);
          steps++;
        }
      } else if (b.info().equals("fstab")) {
        fstab(b);
      }
    }
    assertThat(steps).isGreaterThan(40);
  }

  /** The install lines put man pages and completion where man and bash-completion find them. */
  @Test
  void installedManPagesAndCompletionWork() throws Exception {
    install(Readme.blocks(Readme.text()));
    Path man1 = root.resolve("usr/local/share/man/man1");
    List<String> pages = new ArrayList<>();
    for (String name : HelpTest.subcommands().keySet()) pages.add("partview-" + name);
    pages.add("partview");
    for (String page : pages) {
      Path file = man1.resolve(page + ".1");
      assertThat(file).as("installed man page").isRegularFile();
      // What `man partview-list` finds once the pages are installed, and renders without warnings.
      Processes.Result where =
          shell("MANPATH=" + root.resolve("usr/local/share/man") + " man -w " + page, false);
      assertThat(where.out().strip()).as(where.err()).isEqualTo(file.toString());
      Processes.Result shown = shell("MANWIDTH=80 man -l " + file, false);
      assertThat(shown.code()).as(shown.err()).isZero();
      assertThat(shown.err()).as(page).isEmpty();
      assertThat(shown.out()).as(page).contains("NAME", "SYNOPSIS", page.replace('-', ' '));
    }
    Path completion = root.resolve("etc/bash_completion.d/partview");
    Processes.Result complete =
        shell(
            "source "
                + completion
                + " && complete -p partview"
                + " && COMP_WORDS=(partview ex) COMP_CWORD=1 && _complete_partview 2>/dev/null;"
                + " echo \"${COMPREPLY[*]}\"",
            false);
    assertThat(complete.code()).as(complete.err()).isZero();
    assertThat(complete.out().lines().toList())
        .containsExactly("complete -o default -F _complete_partview partview", "extract");
  }

  /**
   * README "What needs root": a user mounts exactly where /dev/fuse is open to users. Both cases
   * run on every machine: the test sets /dev/fuse to 0666 (as the fuse package leaves it on a
   * normal Debian) and to 0600 (as on this VM), and puts back what it found.
   */
  @ParameterizedTest(name = "/dev/fuse open to users: {0}")
  @ValueSource(booleans = {true, false})
  void aUserMountsWhereDevFuseIsOpenToUsers(boolean open) throws Exception {
    install(Readme.blocks(Readme.text()));
    shell("xz -dc test-images/sample/sample-mbr.img.xz >disk.img", false);
    Path mnt = Files.createDirectories(work.resolve("user-mnt"));
    UserPrincipal nobody =
        work.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
    Files.setOwner(mnt, nobody);
    Path dev = Path.of("/dev/fuse");
    Set<PosixFilePermission> found = Files.getPosixFilePermissions(dev);
    Set<PosixFilePermission> mode = EnumSet.copyOf(found);
    if (open) {
      mode.addAll(Set.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE));
    } else {
      mode.removeAll(Set.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE));
    }
    Files.setPosixFilePermissions(dev, mode);
    String target = mnt.toRealPath().toString();
    try {
      Processes.Result r = shell("partview mount disk.img user-mnt", true);
      if (open) {
        assertThat(r.code()).as(r.err()).isZero();
        // Only the user sees into the mount (no allow_other): not even root may stat it.
        Processes.Result owner = shell("stat -c %U user-mnt/p1", true);
        assertThat(owner.out().strip()).isEqualTo(USER);
        Processes.Result read = shell("cmp user-mnt/p1 disk.img -i 0:32256 -n 4194304", true);
        assertThat(read.code())
            .as("p1 read by the user is the image's bytes: " + read.out())
            .isZero();
        // A user cannot raise the read-ahead (README "What needs root"), and is not told so.
        assertThat(r.err()).isEmpty();
        String device = MountTable.read().at(target).orElseThrow().device();
        assertThat(Files.readString(Path.of("/sys/class/bdi", device, "read_ahead_kb")).trim())
            .isEqualTo("128");
        Processes.Result u = shell("partview umount user-mnt", true);
        assertThat(u.code()).as(u.err()).isZero();
      } else {
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(r.err()).contains("/dev/fuse").hasLineCount(1);
      }
      assertThat(MountTable.read().at(target)).isEmpty();
    } finally {
      Files.setPosixFilePermissions(dev, found);
      if (MountTable.read().at(target).isPresent()) shell("partview umount user-mnt", false);
    }
  }

  // --- running the examples ----------------------------------------------------------------------

  /** The README's install lines, under the stand-in root: partview is on the PATH after this. */
  void install(List<Block> blocks) throws Exception {
    Block b = blocks.stream().filter(ReadmeTest::isInstall).findFirst().orElseThrow();
    for (String line : b.lines()) {
      String cmd = Readme.underRoot(line, root);
      // The target folders of ln exist on any system; install -D makes its own.
      Matcher ln = Pattern.compile("^ln -s \\S+ (\\S+)").matcher(cmd);
      if (ln.find()) Files.createDirectories(Path.of(ln.group(1)).getParent());
      Processes.Result r = shell(cmd, false);
      assertThat(r.code()).as(b.where() + ": " + line + "\n" + r.err()).isZero();
    }
    assertThat(root.resolve("usr/local/bin/partview")).isExecutable();
  }

  void run(Step s) throws Exception {
    String cmd = Readme.underRoot(s.command(), root);
    Matcher m = Pattern.compile("/dev/loop(\\d+)").matcher(cmd);
    StringBuilder real = new StringBuilder();
    while (m.find()) {
      String bound = loops.get(m.group(1));
      assertThat(bound)
          .as(s.where() + ": " + s.command() + " names a device no output showed")
          .isNotNull();
      m.appendReplacement(real, "/dev/loop" + bound);
    }
    cmd = m.appendTail(real).toString();

    Map<String, String> fixed = new HashMap<>();
    for (Map.Entry<String, String> e : loops.entrySet()) {
      if (sysfs.status(Integer.parseInt(e.getValue())).isPresent())
        fixed.put(e.getKey(), e.getValue());
    }
    boolean helper = s.bare().contains("-t fuse.partview") && linkHelper();
    Processes.Result r;
    try {
      r = shell(cmd, Readme.asUser(s));
    } finally {
      if (helper) Files.delete(SBIN_HELPER);
    }
    String what = s.where() + "\n$ " + s.command() + (Readme.asUser(s) ? " (as " + USER + ")" : "");
    assertThat(r.code()).as(what + "\nexit " + r.code() + "\n" + r.out() + r.err()).isZero();

    List<String> expected = s.expected().stream().map(l -> Readme.underRoot(l, root)).toList();
    List<String> actual = r.out().lines().toList();
    if (s.bare().startsWith("ls ")) {
      // ls lays out its columns for the terminal it is not writing to: compare the names only.
      assertThat(words(actual)).as(what).isEqualTo(words(expected));
      return;
    }
    Optional<Map<String, String>> bound = Readme.match(expected, actual, fixed);
    assertThat(bound)
        .as(
            what
                + "\n--- README shows:\n"
                + String.join("\n", expected)
                + "\n--- real output:\n"
                + r.out()
                + r.err())
        .isPresent();
    loops.putAll(bound.orElseThrow());
  }

  /** The fstab line, read by mount(8) from a copy of fstab: mount -T FILE DIR. */
  void fstab(Block b) throws Exception {
    String line = Readme.underRoot(b.lines().get(0), root);
    String[] f = line.strip().split("\\s+");
    Path image = Path.of(f[0]);
    Path dir = Path.of(f[1]);
    Files.createDirectories(image.getParent());
    Files.copy(work.resolve("disk.img"), image, StandardCopyOption.REPLACE_EXISTING);
    Files.createDirectories(dir);
    Path table = work.resolve("fstab");
    Files.writeString(table, line + "\n");
    boolean helper = linkHelper();
    Processes.Result r;
    try {
      r = Processes.run(120, List.of("mount", "-T", table.toString(), dir.toString()));
    } finally {
      if (helper) Files.delete(SBIN_HELPER);
    }
    assertThat(r.code()).as(b.where() + ": mount -T\n" + r.err()).isZero();
    MountTable.Entry e =
        MountTable.read().entries().stream()
            .filter(x -> x.target().equals(dir.toString()))
            .findFirst()
            .orElseThrow();
    assertThat(e.type()).isEqualTo(MountTable.PARTVIEW_TYPE);
    assertThat(e.options()).startsWith("ro");
    try (Stream<Path> names = Files.list(dir)) {
      assertThat(names.map(p -> p.getFileName().toString())).contains("p1", "p5", "p6");
    }
    assertThat(Processes.sha256(dir.resolve("p1")))
        .isEqualTo(Processes.sha256(image, 32256, 8356352));
    assertThat(Processes.run(60, List.of("umount", dir.toString())).code()).isZero();
  }

  /**
   * Links bin/mount.fuse.partview as /sbin/mount.fuse.partview if nothing is there (mount(8) looks
   * for helpers in /sbin only); returns whether it did, so the caller removes it again at once.
   */
  boolean linkHelper() throws IOException {
    if (Files.exists(SBIN_HELPER, LinkOption.NOFOLLOW_LINKS)) return false;
    Files.createSymbolicLink(SBIN_HELPER, Readme.REPO.resolve("bin/mount.fuse.partview"));
    return true;
  }

  /** bash -c COMMAND in the stand-in checkout, as root or as nobody, with partview on the PATH. */
  Processes.Result shell(String command, boolean asUser) throws Exception {
    String path = root.resolve("usr/local/bin") + ":" + System.getenv("PATH") + ":/usr/sbin:/sbin";
    List<String> cmd = new ArrayList<>();
    if (asUser) cmd.addAll(List.of("runuser", "-u", USER, "--"));
    cmd.addAll(
        List.of(
            "env",
            "PATH=" + path,
            "JAVA_HOME=" + System.getProperty("java.home"),
            "LC_ALL=C",
            "bash",
            "-c",
            command));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(work.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().remove("PARTVIEW_JAR");
    Process p = pb.start();
    var err = drain(p.getErrorStream());
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("timed out: " + command);
    }
    return new Processes.Result(p.exitValue(), out, err.get());
  }

  private static java.util.concurrent.CompletableFuture<String> drain(InputStream in) {
    return java.util.concurrent.CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return e.toString();
          }
        });
  }

  private static List<String> words(List<String> lines) {
    return lines.stream()
        .flatMap(l -> Arrays.stream(l.strip().split("\\s+")))
        .filter(w -> !w.isEmpty())
        .toList();
  }

  /**
   * {@code bin}, {@code cli} and {@code test-images} of the repository, as links when nobody can
   * reach them there (the unprivileged examples run this build's launcher and jar), else copies of
   * what the examples use.
   */
  void standInCheckout() throws Exception {
    Path repo = Readme.REPO;
    Files.createSymbolicLink(work.resolve("test-images"), repo.resolve("test-images"));
    Processes.Result reach =
        Processes.run(
            60,
            List.of(
                "runuser",
                "-u",
                USER,
                "--",
                "test",
                "-x",
                repo.resolve("bin/partview").toString(),
                "-a",
                "-r",
                Processes.jar().toString()));
    if (reach.code() == 0) {
      Files.createSymbolicLink(work.resolve("bin"), repo.resolve("bin"));
      Files.createSymbolicLink(work.resolve("cli"), repo.resolve("cli"));
      return;
    }
    System.out.println(
        "ReadmeIT: " + USER + " cannot reach " + repo + ": copying bin and cli/target");
    Path bin = Files.createDirectories(work.resolve("bin"));
    for (String f : List.of("partview", "mount.fuse.partview", "quickstart")) {
      Files.copy(
          repo.resolve("bin").resolve(f), bin.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
    }
    Path target = Files.createDirectories(work.resolve("cli/target/man"));
    for (String f : List.of("partview.jar", "partview_completion")) {
      Files.copy(repo.resolve("cli/target").resolve(f), target.getParent().resolve(f));
    }
    try (Stream<Path> pages = Files.list(repo.resolve("cli/target/man"))) {
      for (Path page : pages.toList()) Files.copy(page, target.resolve(page.getFileName()));
    }
    try (Stream<Path> all = Files.walk(work.resolve("cli"))) {
      for (Path p : all.toList()) {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }

  // --- clean-up ----------------------------------------------------------------------------------

  /**
   * Releases everything the examples left under the folder, even after a failure, innermost first:
   * filesystems on loop devices, then the loop devices (some sit on files of a partview mount),
   * then the partview mounts.
   */
  @AfterEach
  void release() throws Exception {
    if (work == null) return;
    List<String> problems = new ArrayList<>();
    for (int round = 0; round < 3 && !leftovers().isEmpty(); round++) {
      for (MountTable.Entry m : mounts()) {
        if (!m.type().equals(MountTable.PARTVIEW_TYPE)) unmount(m, problems);
      }
      for (LoopStatus l : ourLoops()) {
        Processes.Result r = Processes.run(60, Processes.partview("detach", l.device()));
        if (r.code() != 0) problems.add(l.device() + ": " + r.err().strip());
      }
      for (MountTable.Entry m : mounts()) {
        if (m.type().equals(MountTable.PARTVIEW_TYPE)) unmount(m, problems);
      }
    }
    List<String> left = leftovers();
    if (left.isEmpty()) {
      try (Stream<Path> all = Files.walk(work)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
    assertThat(left).as("left behind (" + problems + ")").isEmpty();
  }

  private void unmount(MountTable.Entry m, List<String> problems) throws Exception {
    List<String> cmd =
        m.type().equals(MountTable.PARTVIEW_TYPE)
            ? Processes.partview("umount", m.target())
            : List.of("umount", m.target());
    Processes.Result r = Processes.run(60, cmd);
    if (r.code() != 0) problems.add(m.target() + ": " + r.err().strip());
  }

  private List<MountTable.Entry> mounts() throws IOException {
    return MountTable.read().entries().stream()
        .filter(m -> MountTable.isUnder(m.target(), work.toString()))
        .sorted(Comparator.comparing((MountTable.Entry m) -> m.target().length()).reversed())
        .toList();
  }

  private List<LoopStatus> ourLoops() throws IOException {
    return sysfs.attached().stream()
        .filter(l -> MountTable.isUnder(l.backingFile(), work.toString()))
        .toList();
  }

  private List<String> leftovers() throws IOException {
    List<String> out = new ArrayList<>();
    for (MountTable.Entry m : mounts()) out.add(m.type() + " on " + m.target());
    for (LoopStatus l : ourLoops()) out.add(l.device() + " on " + l.backingFile());
    return out;
  }
}
