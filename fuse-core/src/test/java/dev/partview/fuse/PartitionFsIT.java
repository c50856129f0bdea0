package dev.partview.fuse;

import static dev.partview.testimages.ToolImages.LEGACY_NAMES;
import static dev.partview.testimages.ToolImages.LEGACY_PARTS;
import static dev.partview.testimages.ToolImages.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partview.table.ReadOptions;
import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import dev.partview.testimages.ToolImages;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mounts for real (in this JVM) and reads and writes through the kernel: the bytes every tool sees
 * must be exactly the image's.
 */
class PartitionFsIT {
  @TempDir Path dir;
  Path mnt;
  final List<FuseMount> mounts = new ArrayList<>();
  final List<String> loops = new ArrayList<>();
  final List<Path> fsMounts = new ArrayList<>();
  final PrintWriter log = new PrintWriter(System.err, true);

  @BeforeEach
  void setUp() throws IOException {
    IntegrationEnvironment.requireFuse();
    mnt = Files.createDirectory(dir.resolve("mnt"));
  }

  /** Consumers first (mounts on loops, loops), then the FUSE mounts: the order a user needs. */
  @AfterEach
  void tearDown() throws Exception {
    for (Path p : fsMounts) Tool.run("umount", p.toString());
    for (String l : loops) Tool.run("losetup", "-d", l);
    for (FuseMount m : mounts) {
      Unmounter.Result r = m.unmount();
      m.close();
      assertThat(r.unmounted()).as("unmounted: " + r.message()).isTrue();
    }
  }

  FuseMount mount(Path on, boolean rw, List<ViewSpec> views, Path... images) throws Exception {
    FuseMount m =
        FuseMount.prepare(
            new FuseMount.Config(
                List.of(images), on, rw, views, List.of(), ReadOptions.defaults(), false),
            log);
    mounts.add(m);
    m.mount();
    return m;
  }

  static String sha256(InputStream in) throws IOException {
    try (in) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(Path file) throws IOException {
    return sha256(Files.newInputStream(file));
  }

  static String sha256(Path image, long start, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(image)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteBuffer bb = ByteBuffer.allocate(1 << 16);
      for (long pos = start; pos < start + size; ) {
        bb.clear().limit((int) Math.min(bb.capacity(), start + size - pos));
        int n = ch.read(bb, pos);
        if (n <= 0) break;
        md.update(bb.array(), 0, n);
        pos += n;
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] range(Path image, long start, int n) throws IOException {
    try (FileChannel ch = FileChannel.open(image)) {
      ByteBuffer bb = ByteBuffer.allocate(n);
      while (bb.hasRemaining() && ch.read(bb, start + bb.position()) > 0) {}
      return bb.array();
    }
  }

  @Test
  void legacyMbrPartitionsAreTheImageBytes() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    Path img = ToolImages.legacy(dir.resolve("legacy.img"), 63);
    FuseMount m = mount(mnt, false, List.of(ViewSpec.parse("boot=63s:1M")), img);

    try (var s = Files.list(mnt)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "p1", "p2", "p5", "p6", "disk", "offset", "by-label", "by-partuuid", "boot");
    }
    for (int i = 0; i < LEGACY_NAMES.size(); i++) {
      Path f = mnt.resolve(LEGACY_NAMES.get(i));
      assertThat(Files.size(f)).as(LEGACY_NAMES.get(i)).isEqualTo(LEGACY_PARTS.get(i)[1]);
      assertThat(sha256(f))
          .as(LEGACY_NAMES.get(i))
          .isEqualTo(sha256(img, LEGACY_PARTS.get(i)[0], LEGACY_PARTS.get(i)[1]));
    }
    assertThat(sha256(mnt.resolve("disk"))).isEqualTo(sha256(img, 0, Files.size(img)));
    // offset views and a named view
    assertThat(sha256(mnt.resolve("offset/32256")))
        .isEqualTo(sha256(img, 32256, Files.size(img) - 32256));
    assertThat(Files.size(mnt.resolve("offset/63s:1M"))).isEqualTo(MIB);
    assertThat(sha256(mnt.resolve("offset/63s:1M"))).isEqualTo(sha256(img, 32256, MIB));
    assertThat(sha256(mnt.resolve("boot"))).isEqualTo(sha256(img, 32256, MIB));
    try (var s = Files.list(mnt.resolve("offset"))) {
      assertThat(s.map(p -> p.getFileName().toString())).contains("32256", "63s:1M");
    }
    // by-partuuid: the MBR disk signature as blkid spells it
    String sig = Tool.ok("sfdisk", "--disk-id", img.toString()).out().strip().substring(2);
    assertThat(Files.readSymbolicLink(mnt.resolve("by-partuuid/" + sig + "-05")))
        .isEqualTo(Path.of("../p5"));
    assertThat(Files.isSameFile(mnt.resolve("by-partuuid/" + sig + "-05"), mnt.resolve("p5")))
        .isTrue();
    assertThat(m.source()).isEqualTo(img.toRealPath().toString());
  }

  /** A block device as the image: its st_size is 0, its size comes from the device itself. */
  @Test
  void aBlockDeviceServesItsPartitions() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    IntegrationEnvironment.requireTool("losetup");
    Path img = ToolImages.legacy(dir.resolve("legacy.img"), 63);
    String dev = Tool.ok("losetup", "-r", "--show", "-f", img.toString()).out().strip();
    loops.add(dev);
    FuseMount m = mount(mnt, false, List.of(), Path.of(dev));
    assertThat(m.source()).isEqualTo(dev);
    for (int i = 0; i < LEGACY_NAMES.size(); i++) {
      Path f = mnt.resolve(LEGACY_NAMES.get(i));
      assertThat(sha256(f))
          .as(LEGACY_NAMES.get(i))
          .isEqualTo(sha256(img, LEGACY_PARTS.get(i)[0], LEGACY_PARTS.get(i)[1]));
    }
  }

  @Test
  void unknownNamesAreEnoentAndTheDaemonLivesOn() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    Path img = ToolImages.legacy(dir.resolve("legacy.img"), 63);
    mount(mnt, false, List.of(), img);
    for (String name : List.of("p99", "p3", "p0", "offset/64M", "offset/nonsense", "by-label/x")) {
      assertThat(Files.exists(mnt.resolve(name))).as(name).isFalse();
      assertThatThrownBy(() -> Files.newInputStream(mnt.resolve(name)).close())
          .as(name)
          .isInstanceOf(NoSuchFileException.class);
    }
    assertThat(Tool.run("cat", mnt.resolve("p99").toString()).output())
        .contains("No such file or directory");
    // Still serving.
    assertThat(sha256(mnt.resolve("p1"))).isEqualTo(sha256(img, 32256, 40000L * 512));
    assertThat(MountProbe.probe(mnt.toString(), java.time.Duration.ofSeconds(2)))
        .isEqualTo(MountProbe.State.ALIVE);
  }

  @Test
  void readOnlyMountRefusesWrites() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    Path img = ToolImages.legacy(dir.resolve("legacy.img"), 63);
    String before = sha256(img);
    mount(mnt, false, List.of(), img);
    Tool r =
        Tool.run(
            "dd", "if=/dev/zero", "of=" + mnt.resolve("p2"), "bs=4k", "count=1", "conv=notrunc");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).contains("Read-only file system");
    assertThat(Tool.run("touch", mnt.resolve("new").toString()).output()).contains("Read-only");
    assertThat(Tool.ok("findmnt", "-n", "-o", "FSTYPE,OPTIONS", mnt.toString()).out())
        .startsWith("fuse.partview")
        .contains("ro,");
    assertThat(sha256(img)).isEqualTo(before);
  }

  @Test
  void gptNamesAndGuidsBecomeLinks() throws Exception {
    IntegrationEnvironment.requireTool("sgdisk");
    Path img = DiskImages.gpt(dir);
    mount(mnt, false, List.of(), img);
    try (var s = Files.list(mnt.resolve("by-label"))) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("EFI System", "data\\x2fone");
    }
    // The first "EFI System" wins.
    assertThat(Files.readSymbolicLink(mnt.resolve("by-label/EFI System")))
        .isEqualTo(Path.of("../p1"));
    assertThat(sha256(mnt.resolve("by-label/data\\x2fone"))).isEqualTo(sha256(mnt.resolve("p2")));
    String info = Tool.ok("sgdisk", "-i", "2", img.toString()).out();
    String guid =
        info.lines()
            .filter(l -> l.startsWith("Partition unique GUID:"))
            .findFirst()
            .orElseThrow()
            .substring("Partition unique GUID:".length())
            .strip()
            .toLowerCase(java.util.Locale.ROOT);
    assertThat(Files.readSymbolicLink(mnt.resolve("by-partuuid/" + guid)))
        .isEqualTo(Path.of("../p2"));
    // Every partition is exactly the range sgdisk reports.
    for (int n = 1; n <= 4; n++) {
      String i = Tool.ok("sgdisk", "-i", Integer.toString(n), img.toString()).out();
      long first = sgdiskNumber(i, "First sector:");
      long sectors = sgdiskNumber(i, "Partition size:");
      Path f = mnt.resolve("p" + n);
      assertThat(Files.size(f)).as("p" + n).isEqualTo(sectors * 512);
      assertThat(sha256(f)).as("p" + n).isEqualTo(sha256(img, first * 512, sectors * 512));
    }
    assertThat(Files.size(mnt.resolve("p4"))).isEqualTo(8L * MIB);
  }

  static long sgdiskNumber(String info, String key) {
    String line = info.lines().filter(l -> l.startsWith(key)).findFirst().orElseThrow();
    return Long.parseLong(line.substring(key.length()).strip().split("\\s+")[0]);
  }

  @Test
  void debugfsReadsAFileInsideAPartition() throws Exception {
    IntegrationEnvironment.requireTool("debugfs");
    Path img = ToolImages.ext4(dir, "hello from p1\n");
    mount(mnt, false, List.of(), img);
    String out = Tool.ok("debugfs", "-R", "cat /hello.txt", mnt.resolve("p1").toString()).out();
    assertThat(out).contains("hello from p1");
  }

  @Test
  void anExt4MountedThroughALoopOnAPartitionFile() throws Exception {
    IntegrationEnvironment.requireLoop();
    Path img = ToolImages.ext4(dir, "through a loop device\n");
    mount(mnt, false, List.of(), img);
    String loop =
        Tool.ok("losetup", "-r", "--show", "-f", mnt.resolve("p1").toString()).out().strip();
    loops.add(loop);
    Path fs = Files.createDirectory(dir.resolve("fs"));
    Tool.ok("mount", "-o", "ro", loop, fs.toString());
    fsMounts.add(fs);
    assertThat(Files.readString(fs.resolve("hello.txt"))).isEqualTo("through a loop device\n");
    // While the loop holds p1, the FUSE mount is busy and says why.
    Unmounter.Result busy = mounts.get(0).unmount();
    assertThat(busy.unmounted()).isFalse();
    assertThat(busy.message()).contains(loop).contains(mnt.resolve("p1").toString());
  }

  @Test
  void manyThreadsReadingRandomRangesSeeTheImageBytes() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    Path img = ToolImages.legacy(dir.resolve("legacy.img"), 63);
    mount(mnt, false, List.of(), img);
    long p1 = LEGACY_PARTS.get(0)[0];
    long size = LEGACY_PARTS.get(0)[1];
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int seed = t;
        done.add(
            pool.submit(
                () -> {
                  Random r = new Random(seed);
                  int checked = 0;
                  // O_DIRECT on p1: every read goes to the daemon, never to the page cache.
                  try (FileChannel direct =
                      FileChannel.open(
                          mnt.resolve("p1"),
                          StandardOpenOption.READ,
                          dev.partview.fuse.sys.DirectIo.option().orElseThrow())) {
                    for (int i = 0; i < 60; i++) {
                      long off = (long) r.nextInt((int) (size / 4096)) * 4096;
                      int n = (int) Math.min(size - off, (1 + r.nextInt(64)) * 4096L);
                      ByteBuffer bb = ByteBuffer.allocateDirect(n + 4096).alignedSlice(4096);
                      bb.limit(n);
                      while (bb.hasRemaining() && direct.read(bb, off + bb.position()) > 0) {}
                      byte[] got = new byte[n];
                      bb.flip().get(got);
                      assertThat(got).isEqualTo(range(img, p1 + off, n));
                      checked++;
                    }
                  }
                  // A fresh offset view per read: a new file, an empty cache, the daemon again.
                  for (int i = 0; i < 20; i++) {
                    long off = r.nextInt(60 * MIB);
                    int n = 1 + r.nextInt(300_000);
                    byte[] got = Files.readAllBytes(mnt.resolve("offset/" + off + ":" + n));
                    assertThat(got).isEqualTo(range(img, off, n));
                    checked++;
                  }
                  return checked;
                }));
      }
      int total = 0;
      for (Future<Integer> f : done) total += f.get();
      assertThat(total).isEqualTo(16 * 80);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aHandleOpenForReadingSeesWhatAWriteOnlyHandleWrote() throws Exception {
    // Write-only handles bypass the kernel's page cache of the file (PartitionFs.open); the kernel
    // must drop the written range from the cache a reading handle filled before.
    IntegrationEnvironment.requireTool("sfdisk");
    Path img = ToolImages.legacy(dir.resolve("legacy.img"), 63);
    mount(mnt, true, List.of(), img);
    Path p2 = mnt.resolve("p2");
    byte[] ef = new byte[8192];
    java.util.Arrays.fill(ef, (byte) 0xEF);
    try (FileChannel reader = FileChannel.open(p2, StandardOpenOption.READ)) {
      ByteBuffer before = ByteBuffer.allocate(ef.length);
      while (before.hasRemaining()) reader.read(before, 4096 + before.position());
      assertThat(before.array()).isNotEqualTo(ef);
      try (FileChannel writer = FileChannel.open(p2, StandardOpenOption.WRITE)) {
        assertThat(writer.write(ByteBuffer.wrap(ef), 4096)).isEqualTo(ef.length);
      }
      ByteBuffer after = ByteBuffer.allocate(ef.length);
      while (after.hasRemaining()) reader.read(after, 4096 + after.position());
      assertThat(after.array()).isEqualTo(ef);
    }
    assertThat(range(img, LEGACY_PARTS.get(1)[0] + 4096, ef.length)).isEqualTo(ef);
  }

  @Test
  void writesStayInsideTheirPartition() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    Path img = ToolImages.legacy(dir.resolve("legacy.img"), 63);
    List<String> others = new ArrayList<>();
    for (int i : new int[] {0, 2, 3})
      others.add(sha256(img, LEGACY_PARTS.get(i)[0], LEGACY_PARTS.get(i)[1]));
    String mbr = sha256(img, 0, 32256);
    mount(mnt, true, List.of(), img);
    long p2 = LEGACY_PARTS.get(1)[0];
    long size = LEGACY_PARTS.get(1)[1];
    byte[] ab = new byte[MIB];
    java.util.Arrays.fill(ab, (byte) 0xAB);
    try (FileChannel ch = FileChannel.open(mnt.resolve("p2"), StandardOpenOption.WRITE)) {
      assertThat(ch.write(ByteBuffer.wrap(ab), 4096)).isEqualTo(MIB);
      // Crossing the end: cut at the end of p2.
      assertThat(ch.write(ByteBuffer.wrap(ab), size - 1000)).isEqualTo(1000);
      // At the end: EFBIG.
      assertThatThrownBy(() -> ch.write(ByteBuffer.wrap(ab), size))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("File too large");
      ch.force(true);
    }
    // O_DIRECT: one request for the whole range, not cut at page boundaries by the kernel. The
    // view (inside p2) ends in the middle of a page; the daemon must cut the write there.
    long view = p2 + 2 * MIB;
    byte[] after = range(img, view + 1_000_000, 8192);
    try (FileChannel ch =
        FileChannel.open(
            mnt.resolve("offset/" + view + ":1000000"),
            StandardOpenOption.WRITE,
            dev.partview.fuse.sys.DirectIo.option().orElseThrow())) {
      ByteBuffer bb = ByteBuffer.allocateDirect(2 * 8192).alignedSlice(4096);
      bb.limit(8192);
      while (bb.hasRemaining()) bb.put((byte) 0xCD);
      bb.flip();
      assertThat(ch.write(bb, 995_328)).isEqualTo(1_000_000 - 995_328);
    }
    assertThat(range(img, view + 995_328, 1_000_000 - 995_328)).containsOnly((byte) 0xCD);
    assertThat(range(img, view + 1_000_000, 8192)).isEqualTo(after);
    Tool dd =
        Tool.run(
            "dd",
            "if=/dev/zero",
            "of=" + mnt.resolve("p2"),
            "bs=1M",
            "seek=20",
            "count=1",
            "conv=notrunc");
    assertThat(dd.output()).contains("File too large");
    assertThat(range(img, p2 + 4096, MIB)).isEqualTo(ab);
    assertThat(range(img, p2 + size - 1000, 1000)).containsOnly((byte) 0xAB);
    int k = 0;
    for (int i : new int[] {0, 2, 3}) {
      assertThat(sha256(img, LEGACY_PARTS.get(i)[0], LEGACY_PARTS.get(i)[1]))
          .as(LEGACY_NAMES.get(i))
          .isEqualTo(others.get(k++));
    }
    assertThat(sha256(img, 0, 32256)).isEqualTo(mbr);
    assertThat(Files.size(img)).isEqualTo(64L * MIB);
    // truncate: smaller is a no-op, larger is EFBIG
    assertThat(Tool.run("truncate", "-s", "0", mnt.resolve("p2").toString()).exitCode()).isZero();
    assertThat(Tool.run("truncate", "-s", "100M", mnt.resolve("p2").toString()).output())
        .contains("File too large");
    assertThat(Files.size(mnt.resolve("p2"))).isEqualTo(size);
  }

  /** A write the image's filesystem has no room for: ENOSPC, as on a plain file, not EIO. */
  @Test
  void aFullFilesystemUnderTheImageIsNoSpaceForTheWriter() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    Path small = Files.createDirectory(dir.resolve("small"));
    Tool.ok("mount", "-t", "tmpfs", "-o", "size=8M", "tmpfs", small.toString());
    try {
      Path img = small.resolve("sparse.img");
      try (FileChannel ch =
          FileChannel.open(img, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.truncate(64 * MIB);
        ch.write(ByteBuffer.allocate(1), 64 * MIB - 1);
      }
      Tool.okWithInput("label: dos\n,,L\n", "sfdisk", "-q", img.toString());
      FuseMount m = mount(mnt, true, List.of(), img);
      try (FileChannel ch = FileChannel.open(mnt.resolve("p1"), StandardOpenOption.WRITE)) {
        ByteBuffer mib = ByteBuffer.allocate(MIB);
        assertThatThrownBy(
                () -> {
                  for (int i = 0; i < 16; i++) ch.write(mib.clear(), (long) i * MIB);
                  ch.force(false);
                })
            .isInstanceOf(IOException.class)
            .hasMessage("No space left on device");
      } finally {
        mounts.remove(m);
        assertThat(m.unmount().unmounted()).isTrue();
        m.close();
      }
    } finally {
      Tool.ok("umount", small.toString());
    }
  }

  @Test
  void mkfsOnAPartitionFileGivesACleanFilesystemAndSparesTheNeighbours() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    IntegrationEnvironment.requireTool("mkfs.ext4");
    IntegrationEnvironment.requireTool("e2fsck");
    Path img = ToolImages.legacy(dir.resolve("legacy.img"), 63);
    String p2 = sha256(img, LEGACY_PARTS.get(1)[0], LEGACY_PARTS.get(1)[1]);
    String p5 = sha256(img, LEGACY_PARTS.get(2)[0], LEGACY_PARTS.get(2)[1]);
    String mbr = sha256(img, 0, 32256);
    mount(mnt, true, List.of(), img);
    // mke2fs discards the whole file first (fallocate punch-hole on a regular file).
    Tool.ok("mkfs.ext4", "-q", "-F", mnt.resolve("p1").toString());
    Tool fsck = Tool.run("e2fsck", "-fn", mnt.resolve("p1").toString());
    assertThat(fsck.exitCode()).as(fsck.output()).isZero();
    assertThat(sha256(img, LEGACY_PARTS.get(1)[0], LEGACY_PARTS.get(1)[1])).isEqualTo(p2);
    assertThat(sha256(img, LEGACY_PARTS.get(2)[0], LEGACY_PARTS.get(2)[1])).isEqualTo(p5);
    assertThat(sha256(img, 0, 32256)).isEqualTo(mbr);
  }

  @Test
  void punchedHolesReachTheImageAndStayInsideThePartition() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    IntegrationEnvironment.requireTool("fallocate");
    Path img = ToolImages.legacy(dir.resolve("legacy.img"), 63);
    String p1 = sha256(img, LEGACY_PARTS.get(0)[0], LEGACY_PARTS.get(0)[1]);
    String p5 = sha256(img, LEGACY_PARTS.get(2)[0], LEGACY_PARTS.get(2)[1]);
    long blocksBefore = blocks(img);
    mount(mnt, true, List.of(), img);
    // 4 MiB hole in p2, plus a punch that runs 1 MiB past its end (cut at the end).
    Tool.ok("fallocate", "-p", "-o", "1M", "-l", "4M", mnt.resolve("p2").toString());
    long size = LEGACY_PARTS.get(1)[1];
    Tool.ok(
        "fallocate",
        "-p",
        "-o",
        Long.toString(size - 8192),
        "-l",
        "1M",
        mnt.resolve("p2").toString());
    assertThat(range(img, LEGACY_PARTS.get(1)[0] + MIB, 4 * MIB)).containsOnly((byte) 0);
    assertThat(blocks(img)).isLessThanOrEqualTo(blocksBefore - 4L * MIB / 512);
    assertThat(sha256(img, LEGACY_PARTS.get(0)[0], LEGACY_PARTS.get(0)[1])).isEqualTo(p1);
    assertThat(sha256(img, LEGACY_PARTS.get(2)[0], LEGACY_PARTS.get(2)[1])).isEqualTo(p5);
    assertThat(Files.size(img)).isEqualTo(64L * MIB);
    assertThat(Files.size(mnt.resolve("p2"))).isEqualTo(size);
    // Zero range, cut at the end of p5: p6 right after it is spared.
    String p6 = sha256(img, LEGACY_PARTS.get(3)[0], LEGACY_PARTS.get(3)[1]);
    long p5size = LEGACY_PARTS.get(2)[1];
    Tool.ok(
        "fallocate",
        "-z",
        "-n",
        "-o",
        Long.toString(p5size - MIB),
        "-l",
        "2M",
        mnt.resolve("p5").toString());
    assertThat(range(img, LEGACY_PARTS.get(2)[0] + p5size - MIB, MIB)).containsOnly((byte) 0);
    assertThat(sha256(img, LEGACY_PARTS.get(3)[0], LEGACY_PARTS.get(3)[1])).isEqualTo(p6);
  }

  static long blocks(Path file) throws Exception {
    return Long.parseLong(Tool.ok("stat", "-c", "%b", file.toString()).out().strip());
  }

  @Test
  void fstrimThroughALoopDeviceKeepsASparseImageSparse() throws Exception {
    IntegrationEnvironment.requireLoop();
    IntegrationEnvironment.requireTool("fstrim");
    Path img = ToolImages.ext4(dir, "x\n");
    mount(mnt, true, List.of(), img);
    String loop = Tool.ok("losetup", "--show", "-f", mnt.resolve("p1").toString()).out().strip();
    loops.add(loop);
    Path fs = Files.createDirectory(dir.resolve("fs"));
    Tool.ok("mount", loop, fs.toString());
    fsMounts.add(fs);
    Tool.ok("dd", "if=/dev/urandom", "of=" + fs.resolve("big"), "bs=1M", "count=12", "conv=fsync");
    Tool.ok("sync");
    long full = blocks(img);
    Files.delete(fs.resolve("big"));
    Tool.ok("sync");
    Tool.ok("fstrim", fs.toString());
    Tool.ok("sync");
    // The 12 MiB file was written over random bytes; trimmed, the image gives them back.
    assertThat(blocks(img)).isLessThan(full - 10L * MIB / 512);
    Tool.ok("umount", fs.toString());
    fsMounts.remove(fs);
    Tool fsck = Tool.run("e2fsck", "-fn", mnt.resolve("p1").toString());
    assertThat(fsck.exitCode()).as(fsck.output()).isZero();
  }

  @Test
  void dfShowsTheImagesAndDuTheFiles() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    Path img = ToolImages.legacy(dir.resolve("legacy.img"), 63);
    mount(mnt, false, List.of(), img);
    String df = Tool.ok("df", "-B1", "--output=size,used", mnt.toString()).out();
    assertThat(df).contains(Long.toString(64L * MIB));
    String du = Tool.ok("du", "-B1", "--apparent-size", mnt.resolve("p1").toString()).out();
    assertThat(du).startsWith(Long.toString(LEGACY_PARTS.get(0)[1]));
    assertThat(Tool.ok("du", "-k", mnt.resolve("p1").toString()).out()).startsWith("20000");
    assertThat(Tool.ok("stat", "-f", "-c", "%l", mnt.toString()).out().strip()).isEqualTo("255");
  }

  @Test
  void severalImagesOneFolderEach() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    IntegrationEnvironment.requireTool("sgdisk");
    Path a = ToolImages.legacy(dir.resolve("legacy.img"), 63);
    Path b = DiskImages.gpt(dir);
    mount(mnt, false, List.of(), a, b);
    assertThat(sha256(mnt.resolve("legacy.img/p5")))
        .isEqualTo(sha256(a, LEGACY_PARTS.get(2)[0], LEGACY_PARTS.get(2)[1]));
    assertThat(sha256(mnt.resolve("gpt.img/p2")))
        .isEqualTo(sha256(b, 2048L * 512 + 20L * MIB, 10L * MIB));
    assertThat(Tool.ok("findmnt", "-n", "-o", "SOURCE", mnt.toString()).out().strip())
        .isEqualTo("partview");
  }
}
