package dev.partview.cli;

import static dev.partview.cli.CliRun.run;
import static dev.partview.cli.TestLoops.device;
import static dev.partview.cli.TestLoops.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partview.fuse.loop.LoopDetacher;
import dev.partview.fuse.loop.LoopStatus;
import dev.partview.fuse.loop.LoopSysfs;
import dev.partview.fuse.sys.MountTable;
import dev.partview.testimages.Corruptor;
import dev.partview.testimages.DiskImageBuilder;
import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partview attach} / {@code detach} on real loop devices. Everything this test attaches is
 * backed by a file in its own temp directory, and {@link TestLoops#release} unmounts and detaches
 * exactly those, even after a failure: other processes may use other loop devices meanwhile.
 */
class AttachDetachIT {
  @TempDir Path tmp;
  Path dir;
  Path image;
  final LoopSysfs sysfs = LoopSysfs.system();

  @BeforeEach
  void setUp() throws Exception {
    IntegrationEnvironment.requireLoop();
    dir = tmp.toRealPath();
    image = LegacyMbrImage.build(dir, "legacy disk.img");
  }

  @AfterEach
  void releaseOurs() throws Exception {
    if (dir != null) TestLoops.release(dir);
  }

  private List<LoopStatus> backedBy(Path file) throws IOException {
    return sysfs.attached().stream().filter(s -> s.backingFile().equals(file.toString())).toList();
  }

  @Test
  void everyDataPartitionOfALegacyImageGetsItsOwnRangeAndNeverTheExtendedOne() throws IOException {
    CliRun r = run("attach", image.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.lines()).hasSize(3);
    assertThat(r.lines()).extracting(l -> l.split(" ")[0]).containsExactly("p1", "p5", "p6");
    for (int i = 0; i < 3; i++) {
      long[] want = LegacyMbrImage.DATA[i];
      LoopStatus s = sysfs.status(number(device(r.lines().get(i)))).orElseThrow();
      assertThat(s.backingFile()).isEqualTo(image.toString());
      assertThat(s.offset()).as("p" + want[0] + " offset").isEqualTo(want[1] * 512);
      assertThat(s.sizeLimit()).as("p" + want[0] + " sizelimit").isEqualTo(want[2] * 512);
      assertThat(s.sectors()).isEqualTo(want[2]);
      assertThat(s.readOnly()).isTrue();
      assertThat(s.autoclear()).isFalse();
    }
    assertThat(
            LoopDetacher.system()
                .backedBy(image, MountTable.read(), DaemonProcesses::imagesServedAt))
        .hasSize(3);
    assertThat(sysfs.status(number(device(r.lines().get(0)))).orElseThrow().offset())
        .isEqualTo(32256);

    CliRun d = run("detach", image.toString());
    assertThat(d.code()).as(d.err()).isZero();
    assertThat(d.lines()).hasSize(3).allMatch(l -> l.endsWith(" detached"));
    assertThat(backedBy(image)).isEmpty();
  }

  @Test
  void ext4InP1MountsFromItsLoopDevice() throws Exception {
    IntegrationEnvironment.requireTool("mount");
    CliRun r = run("attach", image.toString(), "1");
    assertThat(r.code()).as(r.err()).isZero();
    String dev = device(r.lines().get(0));
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    Tool.ok("mount", "-o", "ro", dev, mnt.toString());
    try {
      assertThat(Files.readString(mnt.resolve("hello.txt"))).isEqualTo(LegacyMbrImage.HELLO);
      CliRun busy = run("detach", dev);
      assertThat(busy.code()).isZero();
      assertThat(busy.out())
          .contains(dev + " busy (" + dev + " mounted on " + mnt + ")")
          .contains("detaches when its last user closes it");
      assertThat(sysfs.status(number(dev)).orElseThrow().autoclear()).isTrue();
      CliRun byImage = run("detach", image.toString());
      assertThat(byImage.code()).as(byImage.err()).isZero();
      assertThat(byImage.lines())
          .containsExactly(
              dev
                  + " busy ("
                  + dev
                  + " mounted on "
                  + mnt
                  + "): detaches when its last user closes it");
      assertThat(Files.readString(mnt.resolve("hello.txt"))).isEqualTo(LegacyMbrImage.HELLO);
    } finally {
      Tool.ok("umount", mnt.toString());
    }
    assertThat(backedBy(image)).as("lazy detach done at umount").isEmpty();
  }

  @Test
  void attachWithMountThenUmountLeavesNoLoop() throws Exception {
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    CliRun r = run("attach", image.toString(), "p1", "--mount", mnt.toString(), "-t", "ext4");
    assertThat(r.code()).as(r.err()).isZero();
    String dev = device(r.lines().get(0));
    assertThat(r.out()).contains("mounted on " + mnt);
    try {
      assertThat(Files.readString(mnt.resolve("hello.txt"))).isEqualTo(LegacyMbrImage.HELLO);
      LoopStatus s = sysfs.status(number(dev)).orElseThrow();
      assertThat(s.autoclear()).isTrue();
      assertThat(s.offset()).isEqualTo(32256);
    } finally {
      Tool.ok("umount", mnt.toString());
    }
    assertThat(backedBy(image)).isEmpty();
  }

  @Test
  void plainAttachOfAMountedRangeReusesItAndKeepsIt() throws Exception {
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    CliRun m = run("attach", image.toString(), "p1", "--mount", mnt.toString());
    assertThat(m.code()).as(m.err()).isZero();
    String dev = device(m.lines().get(0));
    try {
      CliRun again = run("attach", image.toString(), "p1");
      assertThat(again.lines()).containsExactly("p1 " + dev + " (reused)");
      assertThat(sysfs.status(number(dev)).orElseThrow().autoclear())
          .as("asked for it again: it stays after umount")
          .isFalse();
    } finally {
      Tool.ok("umount", mnt.toString());
    }
    assertThat(backedBy(image)).extracting(LoopStatus::device).containsExactly(dev);
  }

  @Test
  void failedMountLeavesNoLoop() throws Exception {
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    // p5 holds no filesystem: mount fails, and the new device must go with it.
    CliRun r = run("attach", image.toString(), "p5", "--mount", mnt.toString(), "-t", "ext4");
    assertThat(r.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(r.err()).contains("mount /dev/loop").contains("failed");
    assertThat(backedBy(image)).isEmpty();
  }

  @Test
  void partscanGivesLoopNpMNodesWithThePartitionSizes() throws IOException {
    CliRun r = run("attach", "--partscan", image.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.lines()).hasSize(4);
    assertThat(r.lines().get(0)).startsWith("legacy disk.img /dev/loop");
    String whole = r.lines().get(0).substring("legacy disk.img ".length());
    int n = number(whole);
    LoopStatus s = sysfs.status(n).orElseThrow();
    assertThat(s.offset()).isZero();
    assertThat(s.sizeLimit()).isZero();
    assertThat(s.partScan()).isTrue();
    for (int i = 0; i < 3; i++) {
      long[] want = LegacyMbrImage.DATA[i];
      String part = whole + "p" + want[0];
      assertThat(r.lines().get(i + 1)).isEqualTo("p" + want[0] + " " + part);
      assertThat(Path.of(part)).exists();
      Path sys = Path.of("/sys/block/loop" + n, "loop" + n + "p" + want[0]);
      assertThat(Files.readString(sys.resolve("size")).strip()).isEqualTo(Long.toString(want[2]));
      assertThat(Files.readString(sys.resolve("start")).strip()).isEqualTo(Long.toString(want[1]));
    }
    // p1's node reads the ext4 superblock of p1: magic 0xEF53 at byte 1080.
    byte[] head = new byte[1082];
    try (var in = Files.newInputStream(Path.of(whole + "p1"))) {
      assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(head.length);
    }
    assertThat(head[1080] & 0xff | (head[1081] & 0xff) << 8).isEqualTo(0xEF53);
    CliRun d = run("detach", whole);
    assertThat(d.code()).as(d.err()).isZero();
    assertThat(Path.of(whole + "p1")).doesNotExist();
  }

  @Test
  void identicalRangeIsReusedAndAReadWriteOneIsNot() {
    CliRun first = run("attach", image.toString(), "p5");
    CliRun again = run("attach", image.toString(), "5", "p6");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.lines().get(0)).isEqualTo("p5 " + device(first.lines().get(0)) + " (reused)");
    assertThat(again.lines().get(1)).doesNotContain("reused");
    CliRun rw = run("attach", "--rw", image.toString(), "p5");
    assertThat(rw.lines().get(0)).doesNotContain("reused");
    assertThat(device(rw.lines().get(0))).isNotEqualTo(device(first.lines().get(0)));
  }

  /**
   * The QA image: p1 and p2 with the same range, p3 overlapping both. The kernel takes overlapping
   * BLKPG partitions of one disk never, and separate loop devices always.
   */
  private Path overlapping() throws IOException {
    Path img = dir.resolve("overlap.img");
    MbrImage.create(
            img,
            4 * LegacyMbrImage.MIB,
            new MbrImage.Entry(0x83, 2048, 2048),
            new MbrImage.Entry(0x83, 2048, 2048),
            new MbrImage.Entry(0x83, 3072, 2048))
        .close();
    return img;
  }

  @Test
  void twoPartitionsWithOneRangeGetADeviceEachAndKeepThemWhenReused() throws IOException {
    Path img = overlapping();
    CliRun r = run("attach", img.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.lines()).hasSize(3).noneMatch(l -> l.contains("reused"));
    List<String> devices = r.lines().stream().map(TestLoops::device).toList();
    assertThat(Set.copyOf(devices)).hasSize(3);
    CliRun again = run("attach", img.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.lines())
        .containsExactly(
            "p1 " + devices.get(0) + " (reused)",
            "p2 " + devices.get(1) + " (reused)",
            "p3 " + devices.get(2) + " (reused)");
  }

  @Test
  void partscanLeavesOutOverlappingPartitionsWithAWarningEach() throws IOException {
    Path img = overlapping();
    CliRun r = run("attach", "--partscan", img.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.lines()).hasSize(2);
    String whole = device(r.lines().get(0));
    assertThat(r.lines().get(1)).isEqualTo("p1 " + whole + "p1");
    assertThat(sysfs.partitions(number(whole))).extracting(p -> p.number()).containsExactly(1);
    assertThat(r.err().lines())
        .filteredOn(l -> l.contains("not attached"))
        .containsExactly(
            "partview: warning: "
                + img
                + ": p2 overlaps p1: not attached (one device cannot hold overlapping partitions;"
                + " attach it without --partscan)",
            "partview: warning: "
                + img
                + ": p3 overlaps p1: not attached (one device cannot hold overlapping partitions;"
                + " attach it without --partscan)");
  }

  /** The QA run: a buffered p6, then p6 with --direct-io. */
  @Test
  void directIoIsNotServedByABufferedDeviceAndNoFalseWarning() throws IOException {
    CliRun buffered = run("attach", image.toString(), "p6");
    CliRun direct = run("attach", image.toString(), "p6", "--direct-io");
    assertThat(direct.code()).as(direct.err()).isZero();
    assertThat(direct.lines()).hasSize(1).noneMatch(l -> l.contains("reused"));
    assertThat(device(direct.lines().get(0))).isNotEqualTo(device(buffered.lines().get(0)));
    assertThat(direct.err()).doesNotContain("O_DIRECT");
    assertThat(sysfs.status(number(device(direct.lines().get(0)))).orElseThrow().directIo())
        .isTrue();
    CliRun again = run("attach", image.toString(), "p6", "--direct-io");
    assertThat(again.lines()).containsExactly(direct.lines().get(0) + " (reused)");
    assertThat(again.err()).doesNotContain("O_DIRECT");
  }

  /**
   * A GPT made for 4096-byte sectors: like {@code losetup -b 4096 -P}, the whole-image device has
   * 4096-byte blocks, so sfdisk reads the GPT from it, not a protective MBR of a 512-byte disk.
   */
  @Test
  void partscanOfA4kImageGivesTheDeviceThe4kBlocks() throws Exception {
    Path img =
        new DiskImageBuilder()
            .sectorSize(4096)
            .sizeBytes(16 << 20)
            .gpt()
            .gptPartition(1, 256, 1279, "one")
            .gptPartition(2, 1280, 2303, "two")
            .writeTo(dir.resolve("4k.img"));
    CliRun r = run("attach", "--partscan", img.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    String whole = device(r.lines().get(0));
    int n = number(whole);
    assertThat(Files.readString(Path.of("/sys/block/loop" + n + "/queue/logical_block_size")))
        .isEqualTo("4096\n");
    assertThat(sysfs.partitions(n))
        .extracting(p -> p.startSector() * 512, p -> p.sectors() * 512)
        .containsExactly(tuple(256L * 4096, 1024L * 4096), tuple(1280L * 4096, 1024L * 4096));
    if (IntegrationEnvironment.onPath("sfdisk")) {
      String dump = Tool.ok("sfdisk", "-d", whole).out();
      assertThat(dump).contains("label: gpt").contains("sector-size: 4096");
    }
    CliRun again = run("attach", "--partscan", img.toString());
    assertThat(again.lines().get(0)).isEqualTo(r.lines().get(0) + " (reused)");
  }

  /**
   * A user given the loop devices (group disk, as udev sets them up on most distributions)
   * attaches, reuses and detaches without root. The kernel takes LOOP_SET_STATUS64 from such a user
   * only through a descriptor open for writing. The nodes' modes are restored afterwards.
   */
  @Test
  void aUserInGroupDiskAttachesReusesAndDetaches() throws Exception {
    IntegrationEnvironment.requireRoot();
    IntegrationEnvironment.requireTool("runuser");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(image, PosixFilePermissions.fromString("rw-r--r--"));
    Path jar = Files.copy(Processes.jar(), dir.resolve("partview.jar"));
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
    List<Path> nodes = new ArrayList<>();
    nodes.add(Path.of("/dev/loop-control"));
    try (var s = Files.list(Path.of("/dev"))) {
      s.filter(p -> p.getFileName().toString().matches("loop[0-9]+")).forEach(nodes::add);
    }
    Map<Path, Object[]> saved = new LinkedHashMap<>();
    for (Path n : nodes) {
      saved.put(
          n, new Object[] {Files.getAttribute(n, "unix:gid"), Files.getPosixFilePermissions(n)});
    }
    try {
      for (Path n : nodes) {
        Tool.ok("chgrp", "disk", n.toString());
        Files.setPosixFilePermissions(n, PosixFilePermissions.fromString("rw-rw----"));
      }
      Processes.Result first = asDiskUser(jar, "attach", image.toString(), "p5");
      assertThat(first.code()).as(first.err()).isZero();
      Processes.Result again = asDiskUser(jar, "attach", image.toString(), "p5");
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(again.out().strip())
          .isEqualTo(first.out().strip() + " (reused)")
          .startsWith("p5 /dev/loop");
      assertThat(backedBy(image)).hasSize(1);
      assertThat(backedBy(image).get(0).autoclear()).as("a plain attach stays").isFalse();
      Processes.Result off = asDiskUser(jar, "detach", image.toString());
      assertThat(off.code()).as(off.err()).isZero();
      assertThat(backedBy(image)).isEmpty();
    } finally {
      for (var e : saved.entrySet()) {
        Tool.run("chgrp", e.getValue()[0].toString(), e.getKey().toString());
        @SuppressWarnings("unchecked")
        Set<PosixFilePermission> mode = (Set<PosixFilePermission>) e.getValue()[1];
        Files.setPosixFilePermissions(e.getKey(), mode);
      }
    }
  }

  /** {@code java -jar JAR ARGS...} as user nobody, group disk. */
  private static Processes.Result asDiskUser(Path jar, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "nobody", "-g", "disk", "--"));
    cmd.addAll(Processes.javaCommand());
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(List.of(args));
    return Processes.run(120, cmd);
  }

  @Test
  void aFileWithoutTableOrWithWholeIsAttachedWhole() throws Exception {
    Path bare = LegacyMbrImage.bareExt4(dir, "bare.ext4");
    CliRun r = run("attach", bare.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.lines()).hasSize(1);
    assertThat(r.lines().get(0)).startsWith("bare.ext4 /dev/loop");
    LoopStatus s = sysfs.status(number(device(r.lines().get(0)))).orElseThrow();
    assertThat(s.offset()).isZero();
    assertThat(s.sizeLimit()).isZero();
    assertThat(s.sizeBytes()).isEqualTo(Files.size(bare));

    CliRun w = run("attach", "--whole", image.toString());
    assertThat(w.lines()).hasSize(1);
    assertThat(w.lines().get(0)).startsWith("legacy disk.img /dev/loop");
    assertThat(sysfs.status(number(device(w.lines().get(0)))).orElseThrow().sizeBytes())
        .isEqualTo(64 * LegacyMbrImage.MIB);
  }

  @Test
  void jsonListsEveryDevice() throws IOException {
    CliRun r = run("attach", "--json", image.toString(), "label:none", "p1");
    assertThat(r.code()).as("label:none names nothing").isEqualTo(ExitCodes.USAGE);
    assertThat(backedBy(image)).isEmpty();
    r = run("attach", "--json", image.toString(), "p1", "p6");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertThat(root.get("file").asText()).isEqualTo(image.toString());
    assertThat(root.get("table").asText()).isEqualTo("dos");
    JsonNode p1 = root.get("devices").get(0);
    assertThat(p1.get("name").asText()).isEqualTo("p1");
    assertThat(p1.get("offset").asLong()).isEqualTo(32256);
    assertThat(p1.get("size").asLong()).isEqualTo(40000L * 512);
    assertThat(p1.get("readOnly").asBoolean()).isTrue();
    assertThat(p1.get("reused").asBoolean()).isFalse();
    assertThat(p1.get("device").asText()).startsWith("/dev/loop");
    assertThat(root.get("devices").get(1).get("name").asText()).isEqualTo("p6");
  }

  @Test
  void badTableIsExit3OnOneLine() throws IOException {
    Path bad = dir.resolve("bad.img");
    byte[] b = Files.readAllBytes(image);
    b[446 + 4] = (byte) 0xEE; // a protective MBR entry promises a GPT that is not there
    Files.write(bad, b);
    for (CliRun r : List.of(run("attach", bad.toString()), run("attach", bad.toString(), "p1"))) {
      assertThat(r.code()).isEqualTo(ExitCodes.BAD_TABLE);
      assertThat(r.err().lines()).hasSize(1);
      assertThat(r.err()).contains(bad.toString()).containsPattern("at offset \\d+");
    }
    CliRun none = run("attach", dir.resolve("legacy disk.img.src/hello.txt").toString(), "p1");
    assertThat(none.code()).isEqualTo(ExitCodes.BAD_TABLE);
    assertThat(none.err().lines()).hasSize(1);
    assertThat(none.err()).contains("no partition table");
    assertThat(TestLoops.under(dir)).isEmpty();
  }

  /** kpartx warns when it falls back to the backup GPT header; so does attach, as list words it. */
  @Test
  void aDamagedPrimaryGptHeaderIsWarnedAboutBeforeAttaching() throws IOException {
    DiskImageBuilder b =
        new DiskImageBuilder().sizeBytes(8 << 20).gpt().gptPartition(1, 2048, 4095, "a");
    Path gpt = b.writeTo(dir.resolve("damaged.img"));
    Corruptor.of(gpt, b.layout()).breakPrimaryHeaderCrc();
    String diagnostic =
        run("list", gpt.toString())
            .out()
            .lines()
            .filter(l -> l.startsWith("error: "))
            .findFirst()
            .orElseThrow();
    assertThat(diagnostic).contains("primary GPT header").endsWith("(offset 528)");
    CliRun r = run("attach", gpt.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err().lines())
        .containsExactly(
            "partview: warning: " + gpt + ": " + diagnostic.substring("error: ".length()));
    assertThat(r.lines()).hasSize(1).allMatch(l -> l.startsWith("p1 /dev/loop"));
  }

  @Test
  void detachErrors() {
    CliRun partition = run("detach", "/dev/loop0p1");
    assertThat(partition.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(partition.err()).contains("is a partition of /dev/loop0");
    CliRun nothing = run("detach", image.toString());
    assertThat(nothing.code()).isZero();
    assertThat(nothing.err()).contains("no loop device is backed by " + image);
    CliRun missing = run("detach", dir.resolve("missing.img").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.RUNTIME);
    CliRun noDevice = run("detach", "/dev/loop1000000");
    assertThat(noDevice.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(noDevice.err()).isEqualTo("partview: /dev/loop1000000: no such loop device\n");
  }

  /** An MBR has no names: label:NAME finds the filesystem's label, in attach and extract alike. */
  @Test
  void aFilesystemLabelNamesAnMbrPartition() throws Exception {
    IntegrationEnvironment.requireTool("mkfs.ext4");
    Path img = dir.resolve("labelled.img");
    try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
      f.setLength(24L << 20);
    }
    Tool.okWithInput(
        "start=2048,size=16384,type=83\nstart=18432,type=83\n", "sfdisk", "-q", img.toString());
    Tool.ok("mkfs.ext4", "-q", "-F", "-L", "scratch", "-E", "offset=1048576", img.toString(), "8M");
    CliRun a = run("attach", img.toString(), "label:scratch");
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(a.lines()).singleElement().asString().startsWith("p1 /dev/loop");
    Path out = dir.resolve("scratch.img");
    CliRun x = run("extract", img.toString(), "LABEL:scratch", "-o", out.toString());
    assertThat(x.code()).as(x.err()).isZero();
    assertThat(Files.size(out)).isEqualTo(16384 * 512L);
    CliRun none = run("attach", img.toString(), "label:other");
    assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("no GPT name or filesystem label is 'other'");
  }

  @Test
  void attachMountOnAMissingFolderIsRefusedBeforeAnyDevice() throws Exception {
    Path nowhere = dir.resolve("nowhere");
    CliRun r = run("attach", image.toString(), "p1", "--mount", nowhere.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).isEqualTo("partview: " + nowhere + ": no such directory\n");
    assertThat(TestLoops.under(dir)).isEmpty();
  }

  /** {@code java -cp <test classpath> MAIN}, with the launcher's JIT and GC flags. */
  private static List<String> javaCommand(Class<?> main) {
    List<String> cmd = Processes.javaCommand();
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    return cmd;
  }

  /** The CLI as its own process, as a user runs it: {@code java -cp <test classpath> Main}. */
  private Process spawn(String... args) throws IOException {
    List<String> cmd = javaCommand(Main.class);
    cmd.addAll(List.of(args));
    File log = dir.resolve("child-" + System.nanoTime() + ".log").toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
  }

  private int await(Process p) throws InterruptedException {
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
    return p.exitValue();
  }

  /**
   * Several {@code partview attach IMAGE p1} processes at the same moment: each looks for an
   * identical device, and without a lock between them several find none and each makes its own.
   */
  @Test
  void simultaneousAttachesOfOneRangeShareOneDevice() throws Exception {
    int rounds = 6;
    int racers = 3;
    List<Integer> devicesPerRound = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      Path go = dir.resolve("go-" + round);
      List<Process> ps = new ArrayList<>();
      List<Path> logs = new ArrayList<>();
      try {
        for (int i = 0; i < racers; i++) {
          Path log = dir.resolve("racer-" + round + "-" + i + ".log");
          logs.add(log);
          ps.add(spawnGated(log, go, image.toString(), "attach", image.toString(), "p1"));
        }
        for (Path log : logs) awaitReady(log);
        Files.createFile(go);
        for (int i = 0; i < racers; i++) {
          assertThat(await(ps.get(i))).as(Files.readString(logs.get(i))).isZero();
        }
      } finally {
        for (Process p : ps) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      List<LoopStatus> p1 =
          backedBy(image).stream()
              .filter(s -> s.offset() == LegacyMbrImage.DATA[0][1] * 512)
              .toList();
      devicesPerRound.add(p1.size());
      Set<String> reported = new HashSet<>();
      for (Path log : logs) {
        for (String l : Files.readAllLines(log)) if (l.startsWith("p1 ")) reported.add(device(l));
      }
      assertThat(reported)
          .as("round %d: every racer names a device that exists", round)
          .isSubsetOf(p1.stream().map(LoopStatus::device).toList());
      assertThat(p1).allMatch(s -> !s.autoclear(), "persistent");
      CliRun d = run("detach", image.toString());
      assertThat(d.code()).as(d.err()).isZero();
    }
    System.out.println(
        "devices for p1 after each round of " + racers + " racers: " + devicesPerRound);
    assertThat(devicesPerRound).as("one device per range, every round").allMatch(n -> n == 1);
  }

  /**
   * Nobody is told of devices whose listing could not be written (a full disk, a reader gone), so
   * none stays; with --mount the mount goes first, since it holds the device (the rollback's detach
   * would only be lazy, and the filesystem stay mounted under a line saying it was all undone).
   */
  @Test
  void aListingThatCannotBeWrittenLeavesNoDeviceAndNoMount() throws Exception {
    IntegrationEnvironment.requireTool("mount");
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    Writer full =
        new Writer() {
          @Override
          public void write(char[] buf, int off, int len) throws IOException {
            throw new IOException("No space left on device");
          }

          @Override
          public void flush() throws IOException {
            throw new IOException("No space left on device");
          }

          @Override
          public void close() {}
        };
    for (boolean withMount : List.of(false, true)) {
      String[] args =
          withMount
              ? new String[] {"attach", image.toString(), "1", "--mount", mnt.toString()}
              : new String[] {"attach", image.toString()};
      CliRun r = CliRun.run(cl -> cl.setOut(new PrintWriter(full)), args);
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.RUNTIME);
      assertThat(r.err())
          .contains("standard output: the devices could not be listed, so ")
          .contains(
              withMount
                  ? "the mount on " + mnt + " was undone and every new device was detached"
                  : "so every new device was detached");
      assertThat(backedBy(image)).as("devices left").isEmpty();
      assertThat(MountTable.read().at(mnt.toRealPath().toString())).as("mount left").isEmpty();
    }
  }

  /**
   * A detach waits for the attaches in progress, and attaches wait for a detach (LoopLocks): an
   * attach holds its new devices with AUTOCLEAR until it commits them, and a detach in between was
   * undone by that commit (it said "detaches when its last user closes it", and the devices
   * stayed). flock(1) holds the batch lock here as the other side would.
   */
  @Test
  void detachAndAttachWaitForEachOther() throws Exception {
    IntegrationEnvironment.requireTool("flock");
    assertThat(run("attach", image.toString(), "p1").code()).isZero(); // makes /run/partview
    assertThat(run("detach", image.toString()).code()).isZero();
    for (String mode : List.of("-s", "-x")) {
      Path held = dir.resolve("held" + mode);
      Path released = dir.resolve("released" + mode);
      Process holder =
          new ProcessBuilder(
                  "flock",
                  mode,
                  "/run/partview/batch.lock",
                  "sh",
                  "-c",
                  "touch \"$0\"; sleep 2; touch \"$1\"",
                  held.toString(),
                  released.toString())
              .redirectErrorStream(true)
              .start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(held)) {
          assertThat(holder.isAlive()).as("flock holds the lock").isTrue();
          assertThat(System.nanoTime()).as("flock took the lock").isLessThan(deadline);
          Thread.sleep(5);
        }
        // -s: an attach in progress, which the detach waits for; -x: a detach, which the attach
        // waits for
        CliRun r =
            mode.equals("-s")
                ? run("detach", image.toString())
                : run("attach", image.toString(), "p1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(released).as(mode + ": returned only once the lock was let go").exists();
      } finally {
        holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    assertThat(backedBy(image)).hasSize(1);
  }

  private Process spawnGated(Path log, Path go, String image, String... args) throws IOException {
    List<String> cmd = javaCommand(GatedCli.class);
    cmd.add(go.toString());
    cmd.add(image);
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static void awaitReady(Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log).contains("ready\n")) {
      assertThat(System.nanoTime()).as(log + " ready").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void tenCyclesAndSigkilledAttachersLeaveNothingAfterDetachImage() throws Exception {
    Set<Long> ranges = new HashSet<>();
    for (long[] d : LegacyMbrImage.DATA) ranges.add(d[1] * 512);
    long slowest = 0;
    for (int cycle = 0; cycle < 10; cycle++) {
      long t0 = System.nanoTime();
      assertThat(await(spawn("attach", image.toString()))).isZero();
      slowest = Math.max(slowest, System.nanoTime() - t0);
      assertThat(backedBy(image)).as("cycle " + cycle).hasSize(3);
      assertThat(await(spawn("detach", image.toString()))).isZero();
      assertThat(backedBy(image)).as("cycle " + cycle).isEmpty();
    }
    // SIGKILL at moments spread over a whole attach run: before, during and after the setup.
    int kills = 8;
    for (int k = 1; k <= kills; k++) {
      Process p = spawn("attach", image.toString());
      long delayNanos = slowest * k / kills;
      Thread.sleep(delayNanos / 1_000_000, (int) (delayNanos % 1_000_000));
      boolean finished = !p.isAlive();
      p.destroyForcibly(); // SIGKILL on Linux
      p.waitFor(30, TimeUnit.SECONDS);
      System.out.printf(
          "kill %d after %d ms (%s): %d device(s) backed by the image%n",
          k, delayNanos / 1_000_000, finished ? "had finished" : "killed", backedBy(image).size());
      // Whatever survived is complete: a known range, persistent, read-only. Never half set up.
      for (LoopStatus s : backedBy(image)) {
        assertThat(ranges).as("offset of " + s.device()).contains(s.offset());
        assertThat(s.autoclear())
            .as(s.device() + " left with AUTOCLEAR by a dead process")
            .isFalse();
        assertThat(s.readOnly()).isTrue();
      }
    }
    assertThat(backedBy(image).size())
        .as("reuse keeps at most one device per range")
        .isLessThanOrEqualTo(3);
    assertThat(await(spawn("detach", image.toString()))).isZero();
    assertThat(backedBy(image)).isEmpty();
    assertThat(
            Files.readString(dir.resolve("legacy disk.img.src/hello.txt"), StandardCharsets.UTF_8))
        .isEqualTo(LegacyMbrImage.HELLO);
  }
}
