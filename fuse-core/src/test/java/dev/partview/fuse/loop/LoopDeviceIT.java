package dev.partview.fuse.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partview.fuse.sys.ErrnoException;
import dev.partview.fuse.sys.MountTable;
import dev.partview.testimages.IntegrationEnvironment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real loop devices (root, /dev/loop-control). Every device is backed by a file in this test's own
 * temp directory, and {@link #detachOurs} frees exactly those, whatever happened in the test: other
 * processes may be using other loop devices meanwhile.
 */
class LoopDeviceIT {
  private static final int MIB = 1 << 20;

  @TempDir Path tmp;
  Path dir;
  Path image;
  byte[] content;
  final LoopSysfs sysfs = LoopSysfs.system();

  @BeforeEach
  void setUp() throws IOException {
    IntegrationEnvironment.requireLoop();
    dir = tmp.toRealPath();
    image = dir.resolve("disk.img");
    content = new byte[8 * MIB];
    new Random(42).nextBytes(content);
    Files.write(image, content);
  }

  @AfterEach
  void detachOurs() throws IOException {
    if (dir == null) return;
    for (LoopStatus s : sysfs.attached()) {
      if (s.backingFile().startsWith(dir + "/")) {
        try (LoopDevice d = LoopDevice.open(s.number())) {
          d.clear();
        } catch (ErrnoException e) {
          // already gone
        }
      }
    }
    assertThat(ours()).as("loops left behind").isEmpty();
  }

  private List<LoopStatus> ours() throws IOException {
    List<LoopStatus> out = new ArrayList<>();
    for (LoopStatus s : sysfs.attached()) {
      if (s.backingFile().startsWith(dir + "/")) out.add(s);
    }
    return out;
  }

  private static LoopSpec range(Path file, long offset, long size) {
    return new LoopSpec(file, offset, size, true, false, false, 0, file.getFileName() + ":test");
  }

  private byte[] readDevice(String dev, long at, int len) throws IOException {
    try (FileChannel ch = FileChannel.open(Path.of(dev), StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(len);
      while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) {}
      return b.array();
    }
  }

  private static byte[] slice(byte[] a, long from, int len) {
    byte[] out = new byte[len];
    System.arraycopy(a, (int) from, out, 0, len);
    return out;
  }

  @Test
  void committedRangeSurvivesTheHandleWithOffsetSizeLimitReadOnlyAndName() throws IOException {
    int n;
    try (AttachBatch batch = AttachBatch.system()) {
      n = batch.attach("p1", range(image, 32256, 2 * MIB), false).number();
      batch.commit(true);
    }
    LoopStatus s = sysfs.status(n).orElseThrow();
    assertThat(s.backingFile()).isEqualTo(image.toString());
    assertThat(s.offset()).isEqualTo(32256);
    assertThat(s.sizeLimit()).isEqualTo(2 * MIB);
    assertThat(s.readOnly()).isTrue();
    assertThat(s.autoclear()).as("a plain attach must not keep AUTOCLEAR").isFalse();
    assertThat(s.sectors()).isEqualTo(2L * MIB / 512);
    try (LoopDevice d = LoopDevice.open(n)) {
      LoopInfo64 info = d.status();
      assertThat(info.fileName()).isEqualTo("disk.img:test");
      assertThat(info.offset()).isEqualTo(32256);
      assertThat(info.inode()).isEqualTo(Files.getAttribute(image, "unix:ino"));
    }
    assertThat(readDevice(s.device(), 0, 4096)).isEqualTo(slice(content, 32256, 4096));
    assertThat(readDevice(s.device(), 2 * MIB - 512, 512))
        .isEqualTo(slice(content, 32256 + 2 * MIB - 512, 512));
  }

  @Test
  void legacySetFdAndSetStatusGiveTheSameDevice() throws IOException {
    int n;
    try (AttachBatch batch = new AttachBatch(new LoopAttacher(sysfs, true), sysfs)) {
      n = batch.attach("p1", range(image, MIB, 3 * MIB), false).number();
      batch.commit(true);
    }
    LoopStatus s = sysfs.status(n).orElseThrow();
    assertThat(s.offset()).isEqualTo(MIB);
    assertThat(s.sizeLimit()).isEqualTo(3 * MIB);
    assertThat(s.readOnly()).isTrue();
    assertThat(s.autoclear()).isFalse();
    assertThat(readDevice(s.device(), 0, 4096)).isEqualTo(slice(content, MIB, 4096));
  }

  /** {@code losetup -b 4096}: through LOOP_CONFIGURE and through LOOP_SET_BLOCK_SIZE alike. */
  @Test
  void blockSizeReachesTheKernelOnBothPathsAndIsPartOfBeingIdentical() throws IOException {
    LoopSpec spec = range(image, 0, 4 * MIB).withBlockSize(4096);
    int modern;
    int legacy;
    try (AttachBatch batch = AttachBatch.system()) {
      modern = batch.attach("4k", spec, false).number();
      batch.commit(true);
    }
    try (AttachBatch batch = new AttachBatch(new LoopAttacher(sysfs, true), sysfs)) {
      legacy = batch.attach("4k", spec, false).number();
      batch.commit(true);
    }
    for (int n : new int[] {modern, legacy}) {
      assertThat(sysfs.status(n).orElseThrow().blockSize()).as("loop%d", n).isEqualTo(4096);
      assertThat(Files.readString(Path.of("/sys/block/loop" + n + "/queue/logical_block_size")))
          .isEqualTo("4096\n");
      assertThat(readDevice("/dev/loop" + n, 4096, 4096)).isEqualTo(slice(content, 4096, 4096));
    }
    try (AttachBatch batch = AttachBatch.system()) {
      AttachBatch.Attached same = batch.attach("4k", spec, true);
      assertThat(same.reused()).isTrue();
      AttachBatch.Attached kernelDefault = batch.attach("512", spec.withBlockSize(0), true);
      assertThat(kernelDefault.reused()).as("4096-byte blocks are not the default").isFalse();
      assertThat(sysfs.status(kernelDefault.number()).orElseThrow().blockSize()).isEqualTo(512);
      batch.commit(true);
    }
    assertThat(ours()).hasSize(3);
  }

  @Test
  void closingWithoutCommitLeavesNothing() throws IOException {
    int n;
    try (AttachBatch batch = AttachBatch.system()) {
      n = batch.attach("a", range(image, 0, MIB), false).number();
      batch.attach("b", range(image, MIB, MIB), false);
      assertThat(ours()).hasSize(2);
      assertThat(sysfs.status(n).orElseThrow().autoclear()).isTrue();
    }
    assertThat(ours()).isEmpty();
  }

  @Test
  void aListingThatCannotBeWrittenDetachesTheNewDevicesButNotTheReusedOnes() throws IOException {
    int kept;
    try (AttachBatch first = AttachBatch.system()) {
      kept = first.attach("a", range(image, 0, MIB), false).number();
      first.commit(true);
      first.publish(() -> {});
    }
    AttachBatch batch = AttachBatch.system();
    try {
      assertThat(batch.attach("a", range(image, 0, MIB), true).reused()).isTrue();
      batch.attach("b", range(image, MIB, MIB), false);
      batch.commit(true);
      assertThatThrownBy(
              () ->
                  batch.publish(
                      () -> {
                        throw new IOException("No space left on device");
                      }))
          .hasMessage("No space left on device");
    } finally {
      batch.close();
    }
    assertThat(ours()).extracting(LoopStatus::number).containsExactly(kept);
  }

  @Test
  void aProcessKilledBeforeItsCommitLeavesNoDevice() throws Exception {
    // SIGKILL: no Java code runs, only the kernel closes the descriptors (AUTOCLEAR frees them)
    assertHoldingChildLeavesNothing(false, Process::destroyForcibly, null);
  }

  @Test
  void aSignalAfterTheCommitButBeforeCloseDetachesEverything() throws Exception {
    // SIGTERM, as Ctrl-C would be: the exit hook undoes a commit nobody was told about, and runs
    // the rollback steps (attach --mount's unmount) first
    Path marker = tmp.resolve("rolled-back");
    assertHoldingChildLeavesNothing(true, Process::destroy, marker.toString());
    assertThat(marker).as("the rollback step ran in the exit hook").exists();
  }

  private boolean bound(int n) {
    try {
      return sysfs.status(n).isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  /** Rollback steps run on a failure or an unpublished close, never once published. */
  @Test
  void rollbackStepsRunBeforeTheDevicesGoAndOnlyOnARollback() throws IOException {
    List<String> seen = new ArrayList<>();
    try (AttachBatch batch = AttachBatch.system()) {
      int n = batch.attach("a", range(image, 0, MIB), false).number();
      batch.onRollback(() -> seen.add("first, device there: " + bound(n)));
      batch.onRollback(() -> seen.add("last added, run first"));
    }
    assertThat(seen).containsExactly("last added, run first", "first, device there: true");
    assertThat(ours()).isEmpty();

    seen.clear();
    try (AttachBatch batch = AttachBatch.system()) {
      batch.attach("a", range(image, 0, MIB), false);
      batch.onRollback(() -> seen.add("ran"));
      batch.commit(true);
      batch.publish(() -> {});
    }
    assertThat(seen).as("published: nothing to undo").isEmpty();
    assertThat(ours()).hasSize(1);
  }

  /** Runs {@link HoldBatch}, checks its devices, stops it with {@code stop}, waits for none. */
  private void assertHoldingChildLeavesNothing(
      boolean committed, java.util.function.Consumer<Process> stop, String marker)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HoldBatch.class.getName(),
                image.toString()));
    if (committed) cmd.add("commit");
    if (marker != null) cmd.add(marker);
    Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      String line =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(
                      child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
              .readLine();
      assertThat(line).as("child printed its devices").isNotNull();
      List<LoopStatus> held = ours();
      assertThat(held).hasSize(2);
      assertThat(held)
          .extracting(LoopStatus::autoclear)
          .as("AUTOCLEAR until the commit")
          .containsOnly(!committed);
      stop.accept(child);
      assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!ours().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
      assertThat(ours()).as("the devices of a batch that was never closed").isEmpty();
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void autoclearCommitLivesOnlyAsLongAsSomeoneHoldsIt() throws IOException {
    AttachBatch batch = AttachBatch.system();
    try {
      AttachBatch.Attached a = batch.attach("p1", range(image, 0, MIB), false);
      try (FileChannel holder = FileChannel.open(Path.of(a.device()), StandardOpenOption.READ)) {
        batch.commit(false);
        batch.close();
        assertThat(ours()).as("held by our channel").hasSize(1);
        assertThat(holder.size()).isEqualTo(MIB);
      }
    } finally {
      batch.close();
    }
    assertThat(ours()).as("freed at the last close").isEmpty();
  }

  @Test
  void identicalRangeIsReusedButNotWhenReadOnlyDiffers() throws IOException {
    int first;
    try (AttachBatch batch = AttachBatch.system()) {
      first = batch.attach("p1", range(image, 4096, MIB), true).number();
      batch.commit(true);
    }
    try (AttachBatch batch = AttachBatch.system()) {
      AttachBatch.Attached again = batch.attach("p1", range(image, 4096, MIB), true);
      assertThat(again.reused()).isTrue();
      assertThat(again.number()).isEqualTo(first);
      AttachBatch.Attached rw =
          batch.attach("p1", range(image, 4096, MIB).withReadOnly(false), true);
      assertThat(rw.reused()).isFalse();
      AttachBatch.Attached other = batch.attach("p1", range(image, 8192, MIB), true);
      assertThat(other.reused()).isFalse();
      batch.commit(true);
    }
    assertThat(ours()).hasSize(3);
  }

  /**
   * Two partitions with the same range in one batch get a device each (kpartx makes one per
   * partition), and a later batch reuses both, still one each.
   */
  @Test
  void eachDeviceServesOneAttachmentOfABatch() throws IOException {
    int[] first = new int[2];
    try (AttachBatch batch = AttachBatch.system()) {
      AttachBatch.Attached p1 = batch.attach("p1", range(image, MIB, MIB), true);
      AttachBatch.Attached p2 = batch.attach("p2", range(image, MIB, MIB), true);
      assertThat(p2.number()).as("p2 has p1's range, not its device").isNotEqualTo(p1.number());
      assertThat(p2.reused()).isFalse();
      batch.commit(true);
      first[0] = p1.number();
      first[1] = p2.number();
    }
    try (AttachBatch batch = AttachBatch.system()) {
      AttachBatch.Attached p1 = batch.attach("p1", range(image, MIB, MIB), true);
      AttachBatch.Attached p2 = batch.attach("p2", range(image, MIB, MIB), true);
      assertThat(List.of(p1.reused(), p2.reused())).containsOnly(true);
      assertThat(Set.of(p1.number(), p2.number())).containsExactlyInAnyOrder(first[0], first[1]);
      batch.commit(true);
    }
    assertThat(ours()).hasSize(2);
  }

  /**
   * A reused AUTOCLEAR device (made by {@code attach --mount}) whose last user goes between the
   * find and the commit: the kernel would free it and hand its number to the next attachment. The
   * commit must act on the device it found, never on whoever has the number by then.
   */
  @Test
  void aReusedAutoclearDeviceStaysTheOneTheCommitChanges() throws IOException {
    Path stranger = dir.resolve("stranger.img");
    Files.write(stranger, new byte[MIB]);
    LoopAttacher attacher = LoopAttacher.system();
    LoopDevice mountLike = attacher.attach(range(image, 0, MIB)); // AUTOCLEAR, we are its user
    int n = mountLike.number();
    try (AttachBatch batch = AttachBatch.system()) {
      AttachBatch.Attached a = batch.attach("p1", range(image, 0, MIB), true);
      assertThat(a.reused()).isTrue();
      assertThat(a.number()).isEqualTo(n);
      mountLike.close(); // the umount: its last user goes
      try (LoopDevice other = attacher.attach(range(stranger, 0, 0))) {
        System.out.printf("reused loop%d, the next attachment got loop%d%n", n, other.number());
        batch.commit(true);
        LoopStatus theirs = sysfs.status(other.number()).orElseThrow();
        assertThat(theirs.backingFile()).isEqualTo(stranger.toString());
        assertThat(theirs.autoclear()).as("someone else's device is left alone").isTrue();
      }
    } finally {
      mountLike.close();
    }
    LoopStatus s = sysfs.status(n).orElseThrow(() -> new AssertionError("loop" + n + " freed"));
    assertThat(s.backingFile()).isEqualTo(image.toString());
    assertThat(s.offset()).isZero();
    assertThat(s.autoclear()).as("asked for again: it stays").isFalse();
  }

  @Test
  void partScanCreatesBlkpgPartitionsWithTheirSizes() throws IOException {
    AttachBatch.Attached a;
    try (AttachBatch batch = AttachBatch.system()) {
      a =
          batch.attachWithPartitions(
              "disk.img",
              range(image, 0, 0),
              List.of(new PartitionRange(1, MIB, 2 * MIB), new PartitionRange(5, 4 * MIB, MIB)),
              false);
      batch.commit(true);
    }
    assertThat(a.partitions()).extracting(BlockPartition::number).containsExactly(1, 5);
    List<BlockPartition> parts = sysfs.partitions(a.number());
    assertThat(parts).extracting(BlockPartition::sectors).containsExactly(4096L, 2048L);
    assertThat(parts).extracting(BlockPartition::startSector).containsExactly(2048L, 8192L);
    assertThat(readDevice(a.device() + "p5", 0, 4096)).isEqualTo(slice(content, 4 * MIB, 4096));
    // Reusing the whole-image device adds nothing twice.
    try (AttachBatch batch = AttachBatch.system()) {
      AttachBatch.Attached again =
          batch.attachWithPartitions(
              "disk.img", range(image, 0, 0), List.of(new PartitionRange(1, MIB, 2 * MIB)), true);
      assertThat(again.reused()).isTrue();
      assertThat(again.number()).isEqualTo(a.number());
      batch.commit(true);
    }
    LoopDetacher.Result r = LoopDetacher.system().detach(a.number());
    assertThat(r.lazy()).isFalse();
    assertThat(Files.exists(Path.of(a.device() + "p1"))).isFalse();
  }

  @Test
  void detachOfAnOpenDeviceIsLazyAndFinishesAtTheLastClose() throws IOException {
    int n;
    try (AttachBatch batch = AttachBatch.system()) {
      n = batch.attach("p1", range(image, 0, MIB), false).number();
      batch.commit(true);
    }
    try (FileChannel holder = FileChannel.open(Path.of("/dev/loop" + n), StandardOpenOption.READ)) {
      LoopDetacher.Result r = LoopDetacher.system().detach(n);
      assertThat(r.lazy()).isTrue();
      assertThat(r.busyWith()).containsExactly("open elsewhere");
      assertThat(holder.size()).as("still readable").isEqualTo(MIB);
      assertThat(sysfs.status(n).orElseThrow().autoclear()).isTrue();
    }
    assertThat(ours()).isEmpty();
  }

  /**
   * {@code detach IMAGE} finds its devices first and detaches them after: one that went meanwhile
   * may have passed its number to someone else's attachment, which must be left alone.
   */
  @Test
  void detachOfAFoundDeviceLeavesItsNumbersNextOwnerAlone() throws IOException {
    Path stranger = dir.resolve("stranger.img");
    Files.write(stranger, new byte[MIB]);
    int n;
    try (AttachBatch batch = AttachBatch.system()) {
      n = batch.attach("p1", range(image, 0, MIB), false).number();
      batch.commit(true);
    }
    LoopStatus found =
        LoopDetacher.system().backedBy(image, MountTable.read(), target -> List.of()).get(0);
    LoopDetacher.system().detach(n); // someone else's detach, in between
    try (LoopDevice other = LoopAttacher.system().attach(range(stranger, 0, 0))) {
      System.out.printf("found loop%d, the next attachment got loop%d%n", n, other.number());
      assertThatThrownBy(() -> LoopDetacher.system().detach(found))
          .isInstanceOf(ErrnoException.class)
          .hasMessageContaining("ENXIO")
          .hasMessageContaining(other.number() == n ? "left alone" : "not attached");
      LoopStatus theirs = sysfs.status(other.number()).orElseThrow();
      assertThat(theirs.backingFile()).isEqualTo(stranger.toString());
    }
  }

  @Test
  void detachOfAnUnboundDeviceSaysNotAttached() throws IOException {
    int n;
    try (AttachBatch batch = AttachBatch.system()) {
      n = batch.attach("p1", range(image, 0, MIB), false).number();
      batch.commit(true);
    }
    LoopDetacher.system().detach(n);
    assertThatThrownBy(() -> LoopDetacher.system().detach(n))
        .isInstanceOf(ErrnoException.class)
        .hasMessageContaining("ENXIO")
        .hasMessageContaining("not attached");
  }

  @Test
  void concurrentAttachersAllGetTheirOwnDevice() throws Exception {
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        long offset = (long) i * MIB;
        Callable<Integer> task =
            () -> {
              go.await();
              try (AttachBatch batch = AttachBatch.system()) {
                int n = batch.attach("p", range(image, offset, MIB), false).number();
                batch.commit(true);
                return n;
              }
            };
        results.add(pool.submit(task));
      }
      go.countDown();
      Set<Integer> numbers = new HashSet<>();
      for (Future<Integer> f : results) numbers.add(f.get());
      assertThat(numbers).hasSize(threads);
      assertThat(ours()).hasSize(threads);
      for (LoopStatus s : ours()) {
        assertThat(readDevice(s.device(), 0, 512)).isEqualTo(slice(content, s.offset(), 512));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void directIoFlagReachesTheKernel() throws IOException {
    int n;
    try (AttachBatch batch = AttachBatch.system()) {
      n = batch.attach("p1", range(image, 0, MIB).withDirectIo(true), false).number();
      batch.commit(true);
    }
    assertThat(sysfs.status(n).orElseThrow().directIo()).isTrue();
  }

  /** What was asked decides: a buffered device is not reused for direct I/O, nor the converse. */
  @Test
  void directIoIsPartOfBeingIdentical() throws IOException {
    LoopSpec buffered = range(image, MIB, MIB);
    LoopSpec direct = buffered.withDirectIo(true);
    int b;
    int d;
    try (AttachBatch batch = AttachBatch.system()) {
      b = batch.attach("p1", buffered, true).number();
      batch.commit(true);
    }
    try (AttachBatch batch = AttachBatch.system()) {
      AttachBatch.Attached a = batch.attach("p1", direct, true);
      assertThat(a.reused()).as("buffered loop%d is not what was asked", b).isFalse();
      assertThat(a.directIoRefused()).isFalse();
      d = a.number();
      batch.commit(true);
    }
    assertThat(sysfs.status(d).orElseThrow().directIo()).isTrue();
    try (AttachBatch batch = AttachBatch.system()) {
      assertThat(batch.attach("p1", direct, true).number()).isEqualTo(d);
      assertThat(batch.attach("p1", buffered, true).number()).isEqualTo(b);
      batch.commit(true);
    }
    assertThat(ours()).hasSize(2);
  }

  /**
   * At byte offset 100 no file can do O_DIRECT, so the kernel keeps buffered I/O on a new device:
   * the batch says so, and then reuses a buffered device of that range rather than stack another.
   */
  @Test
  void directIoRefusedByTheKernelIsReportedAndReusesTheBufferedDevice() throws IOException {
    LoopSpec odd = range(image, 100, MIB);
    int first;
    try (AttachBatch batch = AttachBatch.system()) {
      AttachBatch.Attached a = batch.attach("p1", odd.withDirectIo(true), true);
      assertThat(a.reused()).isFalse();
      assertThat(a.directIoRefused()).isTrue();
      assertThat(sysfs.status(a.number()).orElseThrow().directIo()).isFalse();
      first = a.number();
      batch.commit(true);
    }
    try (AttachBatch batch = AttachBatch.system()) {
      AttachBatch.Attached a = batch.attach("p1", odd.withDirectIo(true), true);
      assertThat(a.reused()).isTrue();
      assertThat(a.directIoRefused()).isTrue();
      assertThat(a.number()).isEqualTo(first);
      batch.commit(true);
    }
    long deadline = System.nanoTime() + 5_000_000_000L; // udev may hold it open a moment
    while (ours().size() > 1 && System.nanoTime() < deadline) LoopDevice.sleep(10);
    assertThat(ours()).as("the refused new device was dropped").hasSize(1);
  }

  @Test
  void missingFileFailsNamingTheCallAndErrno() {
    assertThatThrownBy(
            () -> {
              try (AttachBatch batch = AttachBatch.system()) {
                batch.attach("x", range(dir.resolve("nope.img"), 0, 0), false);
              }
            })
        .isInstanceOf(ErrnoException.class)
        .hasMessage("open " + dir.resolve("nope.img") + ": ENOENT (No such file or directory)");
  }

  @Test
  void backedByFindsOnlyThisImagesDevices() throws IOException {
    Path other = dir.resolve("other.img");
    Files.write(other, new byte[MIB]);
    try (AttachBatch batch = AttachBatch.system()) {
      batch.attach("p1", range(image, 0, MIB), false);
      batch.attach("p2", range(image, MIB, MIB), false);
      batch.attach("o", range(other, 0, 0), false);
      batch.commit(true);
    }
    List<LoopStatus> mine =
        LoopDetacher.system().backedBy(image, MountTable.read(), target -> List.of());
    assertThat(mine).extracting(LoopStatus::offset).containsExactlyInAnyOrder(0L, (long) MIB);
  }
}
