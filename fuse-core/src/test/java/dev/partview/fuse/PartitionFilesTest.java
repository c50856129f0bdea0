package dev.partview.fuse;

import static dev.partview.fuse.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partview.fuse.PartitionFiles.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionFilesTest {
  static final int SIZE = 1 << 20; // 2048 sectors
  static final PartitionFiles.Owner OWNER = new PartitionFiles.Owner(1000, 100);

  @TempDir Path dir;
  Path file;
  final List<long[]> fallocs = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    file = TestImages.patterned(dir, "legacy.img", SIZE);
  }

  @AfterEach
  void tearDown() throws IOException {
    TestImages.closeAll();
  }

  PartitionFiles legacy(boolean writable, ViewSpec... views) throws IOException {
    Image img = image(file, TestImages.legacyMbr(SIZE), writable, 0644);
    return new PartitionFiles(
        List.of(img),
        List.of(views),
        writable,
        OWNER,
        (i, mode, off, len) -> fallocs.add(new long[] {mode, off, len}));
  }

  static void assertErrno(ThrowingCallable call, Errno errno) {
    assertThatThrownBy(call)
        .isInstanceOf(FsException.class)
        .satisfies(e -> assertThat(((FsException) e).errno()).isEqualTo(errno));
  }

  /** What libfuse reads for the FUSE adapter: the bytes {@link PartitionFiles#locate} names. */
  byte[] read(PartitionFiles fs, String path, long offset, int n) throws IOException {
    PartitionFiles.Extent e = fs.locate(path, offset, n);
    ByteBuffer bb = ByteBuffer.allocate(e.length());
    while (bb.hasRemaining()) {
      if (e.image().channel().read(bb, e.position() + bb.position()) < 0) break;
    }
    return Arrays.copyOf(bb.array(), bb.position());
  }

  static byte[] expected(long from, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = TestImages.pattern(from + i);
    return b;
  }

  @Test
  void rootListsPartitionsButNotTheExtendedContainer() throws IOException {
    PartitionFiles fs = legacy(false);
    assertThat(fs.list("/"))
        .containsExactly("p1", "p2", "p5", "p6", "disk", "offset", "by-label", "by-partuuid");
    assertErrno(() -> fs.stat("/p3"), Errno.ENOENT);
  }

  @Test
  void unknownNamesAreEnoent() throws IOException {
    PartitionFiles fs = legacy(false);
    for (String p : List.of("/p99", "/p0", "/P1", "/disk/x", "/nothing", "/by-label/x")) {
      assertErrno(() -> fs.stat(p), Errno.ENOENT);
    }
    assertErrno(() -> fs.locate("/p99", 0, 10), Errno.ENOENT);
    assertErrno(() -> fs.open("/p99", false), Errno.ENOENT);
  }

  @Test
  void legacyPartitionAt63SectorsHasTheImageBytes() throws IOException {
    PartitionFiles fs = legacy(false);
    PartitionFiles.Attr a = fs.stat("/p1");
    assertThat(a.kind()).isEqualTo(Kind.FILE);
    assertThat(a.size()).isEqualTo(500 * 512);
    assertThat(a.blocks()).isEqualTo(500);
    assertThat(read(fs, "/p1", 0, 4096)).isEqualTo(expected(32256, 4096));
    assertThat(read(fs, "/p5", 1000, 3000)).isEqualTo(expected(1026 * 512 + 1000, 3000));
    assertThat(read(fs, "/disk", 0, 100)).isEqualTo(expected(0, 100));
  }

  @Test
  void readsStopAtTheEndOfTheFile() throws IOException {
    PartitionFiles fs = legacy(false);
    long size = 500 * 512;
    assertThat(read(fs, "/p1", size - 10, 4096)).isEqualTo(expected(32256 + size - 10, 10));
    assertThat(read(fs, "/p1", size, 4096)).isEmpty();
    assertThat(read(fs, "/p1", size + 12345, 4096)).isEmpty();
  }

  @Test
  void locateNamesTheImageBytesOfARead() throws IOException {
    PartitionFiles fs = legacy(false);
    long size = 500 * 512;
    assertThat(fs.locate("/p1", 0, 131072)).isEqualTo(extent(fs, 32256, 131072));
    assertThat(fs.locate("/p5", 1000, 3000)).isEqualTo(extent(fs, 1026 * 512 + 1000, 3000));
    assertThat(fs.locate("/p1", size - 10, 4096)).isEqualTo(extent(fs, 32256 + size - 10, 10));
    assertThat(fs.locate("/p1", size, 4096).length()).isZero();
    assertThat(fs.locate("/p1", size + 12345, 4096).length()).isZero();
    assertThat(fs.locate("/offset/1s:100", 0, 4096)).isEqualTo(extent(fs, 512, 100));
    assertErrno(() -> fs.locate("/p1", -1, 1), Errno.EINVAL);
    assertErrno(() -> fs.locate("/p99", 0, 1), Errno.ENOENT);
    assertErrno(() -> fs.locate("/offset", 0, 1), Errno.EISDIR);
  }

  private static PartitionFiles.Extent extent(PartitionFiles fs, long position, int length) {
    return new PartitionFiles.Extent(fs.images().get(0), position, length);
  }

  @Test
  void aPartitionCrossingTheEndOfTheImageIsCut() throws IOException {
    PartitionFiles fs = legacy(false);
    // p6: LBA 1589 + 600 sectors, but the image has 2048 sectors.
    assertThat(fs.stat("/p6").size()).isEqualTo((2048 - 1589) * 512L);
  }

  @Test
  void readOnlyRefusesEveryWrite() throws IOException {
    PartitionFiles fs = legacy(false);
    assertErrno(() -> fs.open("/p1", true), Errno.EROFS);
    assertErrno(() -> fs.write("/p1", ByteBuffer.wrap(new byte[10]), 0), Errno.EROFS);
    assertErrno(() -> fs.truncate("/p1", 0), Errno.EROFS);
    assertErrno(
        () -> fs.fallocate("/p1", PartitionFiles.FALLOC_FL_PUNCH_HOLE | 1, 0, 4096), Errno.EROFS);
    assertErrno(() -> fs.refuseChange("/p1"), Errno.EROFS);
    assertErrno(() -> fs.refuseChange("/new"), Errno.EROFS);
    fs.open("/p1", false);
    assertThat(Files.readAllBytes(file)).isEqualTo(expected(0, SIZE));
  }

  @Test
  void readOnlyModesDropWriteBits() throws IOException {
    PartitionFiles ro = legacy(false);
    assertThat(ro.stat("/p1").permissions()).isEqualTo(0444);
    assertThat(ro.stat("/").permissions()).isEqualTo(0555);
    assertThat(ro.stat("/").uid()).isEqualTo(1000);
    assertThat(ro.stat("/p1").gid()).isEqualTo(100);
    TestImages.closeAll();
    PartitionFiles rw = legacy(true);
    assertThat(rw.stat("/p1").permissions()).isEqualTo(0644);
    assertThat(rw.stat("/offset").permissions()).isEqualTo(0555);
    assertThat(rw.stat("/").links()).isEqualTo(5); // ., .., offset, by-label, by-partuuid
  }

  @Test
  void writesStayInsideTheirPartition() throws IOException {
    PartitionFiles fs = legacy(true);
    long size = 400 * 512; // p2
    byte[] ones = new byte[1000];
    java.util.Arrays.fill(ones, (byte) 1);
    assertThat(fs.write("/p2", ByteBuffer.wrap(ones), 100)).isEqualTo(1000);
    // Crossing the end: cut.
    assertThat(fs.write("/p2", ByteBuffer.wrap(ones), size - 10)).isEqualTo(10);
    // At or past the end: EFBIG.
    assertErrno(() -> fs.write("/p2", ByteBuffer.wrap(ones), size), Errno.EFBIG);
    assertErrno(() -> fs.write("/p2", ByteBuffer.wrap(ones), size + 4096), Errno.EFBIG);

    byte[] img = Files.readAllBytes(file);
    long p2 = 563 * 512;
    byte[] want = expected(0, SIZE);
    for (int i = 0; i < 1000; i++) want[(int) (p2 + 100 + i)] = 1;
    for (int i = 0; i < 10; i++) want[(int) (p2 + size - 10 + i)] = 1;
    assertThat(img).isEqualTo(want); // p1 and p5 (the neighbours) untouched
  }

  @Test
  void truncateCanNeverResize() throws IOException {
    PartitionFiles fs = legacy(true);
    long size = 400 * 512;
    fs.truncate("/p2", 0);
    fs.truncate("/p2", size);
    assertErrno(() -> fs.truncate("/p2", size + 1), Errno.EFBIG);
    assertErrno(() -> fs.truncate("/p2", -1), Errno.EINVAL);
    assertErrno(() -> fs.truncate("/offset", 0), Errno.EISDIR);
    assertThat(fs.stat("/p2").size()).isEqualTo(size);
    assertThat(Files.size(file)).isEqualTo(SIZE);
  }

  @Test
  void layoutChangesAreRefused() throws IOException {
    PartitionFiles fs = legacy(true);
    assertErrno(() -> fs.refuseChange("/p1"), Errno.EPERM);
    assertErrno(() -> fs.refuseChange("/newfile"), Errno.EPERM);
    assertErrno(() -> fs.refuseChange("/nodir/newfile"), Errno.ENOENT);
  }

  @Test
  void fallocateIsCutToTheFileAndKeepsTheImageSize() throws IOException {
    PartitionFiles fs = legacy(true);
    int punch = PartitionFiles.FALLOC_FL_PUNCH_HOLE | PartitionFiles.FALLOC_FL_KEEP_SIZE;
    long p2 = 563 * 512;
    long size = 400 * 512;
    fs.fallocate("/p2", punch, 4096, 8192);
    fs.fallocate("/p2", punch, size - 512, 1 << 20); // crosses the end: cut
    fs.fallocate("/p2", punch, size + 512, 4096); // past the end: nothing to do
    fs.fallocate("/p2", PartitionFiles.FALLOC_FL_ZERO_RANGE, 0, 512);
    fs.fallocate("/p2", 0, 0, size); // plain allocate inside the file
    assertThat(fallocs)
        .containsExactly(
            new long[] {punch, p2 + 4096, 8192},
            new long[] {punch, p2 + size - 512, 512},
            new long[] {PartitionFiles.FALLOC_FL_ZERO_RANGE | 1, p2, 512},
            new long[] {1, p2, size});
    assertErrno(() -> fs.fallocate("/p2", 0, 0, size + 1), Errno.EFBIG);
    assertErrno(() -> fs.fallocate("/p2", PartitionFiles.FALLOC_FL_PUNCH_HOLE, 0, 1), Errno.EINVAL);
    assertErrno(() -> fs.fallocate("/p2", 0x08 /* COLLAPSE_RANGE */, 0, 4096), Errno.EOPNOTSUPP);
    assertErrno(() -> fs.fallocate("/p2", punch, 0, 0), Errno.EINVAL);
  }

  @Test
  void offsetViewsAreMadeOnLookupAndListed() throws IOException {
    PartitionFiles fs = legacy(false);
    assertThat(fs.list("/offset")).isEmpty();
    assertThat(fs.stat("/offset/32256").size()).isEqualTo(SIZE - 32256);
    assertThat(fs.stat("/offset/63s:1K").size()).isEqualTo(1024);
    assertThat(read(fs, "/offset/63s:1K", 0, 4096)).isEqualTo(expected(32256, 1024));
    assertThat(fs.stat("/offset/1000K:1M").size()).isEqualTo(SIZE - 1000 * 1024); // cut
    assertThat(fs.list("/offset")).containsExactly("1000K:1M", "32256", "63s:1K");
    assertThat(fs.stat("/offset/0").size()).isEqualTo(SIZE);
  }

  @Test
  void offsetViewsPastTheEndOrMalformedAreEnoent() throws IOException {
    PartitionFiles fs = legacy(false);
    for (String n : List.of("1M", "2048s", "5G", "abc", "1:0", "1:", ":1", "-1", "1X", "1:2:3")) {
      assertErrno(() -> fs.stat("/offset/" + n), Errno.ENOENT);
    }
    assertThat(fs.list("/offset")).isEmpty();
  }

  @Test
  void namedViewsSitAtTheTop() throws IOException {
    PartitionFiles fs =
        legacy(false, ViewSpec.parse("boot=63s:100K"), ViewSpec.parse("tail=1000K:1M"));
    assertThat(fs.list("/")).endsWith("boot", "tail");
    assertThat(fs.stat("/boot").size()).isEqualTo(100 * 1024);
    assertThat(read(fs, "/boot", 10, 10)).isEqualTo(expected(32256 + 10, 10));
    assertThat(fs.notes()).singleElement().asString().contains("view tail").contains("cut");
  }

  @Test
  void viewsThatCannotExistAreRejected() throws IOException {
    assertThatThrownBy(() -> legacy(false, ViewSpec.parse("x=1M")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("past the end");
    TestImages.closeAll();
    assertThatThrownBy(() -> legacy(false, ViewSpec.parse("x=0"), ViewSpec.parse("x=1")))
        .hasMessageContaining("used twice");
    for (String bad :
        List.of("p1=0", "disk=0", "offset=0", "by-label=0", "a/b=0", "=0", "x", "x=")) {
      assertThatThrownBy(() -> ViewSpec.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--view");
    }
  }

  @Test
  void mbrPartuuidsAreSignatureAndNumber() throws IOException {
    PartitionFiles fs = legacy(false);
    assertThat(fs.list("/by-partuuid"))
        .containsExactly("1234abcd-01", "1234abcd-02", "1234abcd-05", "1234abcd-06");
    assertThat(fs.readlink("/by-partuuid/1234abcd-05")).isEqualTo("../p5");
    assertThat(fs.stat("/by-partuuid/1234abcd-05").kind()).isEqualTo(Kind.SYMLINK);
    assertThat(fs.list("/by-label")).isEmpty();
    assertErrno(() -> fs.readlink("/p1"), Errno.EINVAL);
  }

  @Test
  void gptLabelsAreEscapedAndTheFirstDuplicateWins() throws IOException {
    UUID u1 = UUID.fromString("AAAAAAAA-0000-0000-0000-000000000001");
    UUID u2 = UUID.fromString("aaaaaaaa-0000-0000-0000-000000000002");
    var table =
        TestImages.gptTable(
            SIZE,
            List.of(
                TestImages.gpt(1, 34, 100, "EFI System", u1),
                TestImages.gpt(2, 134, 100, "a/b\\c", u2),
                TestImages.gpt(3, 234, 100, "EFI System", null),
                TestImages.gpt(4, 334, 100, "", null),
                TestImages.gpt(5, 434, 100, "..", null),
                TestImages.gpt(6, 534, 100, "système", null)));
    PartitionFiles fs =
        new PartitionFiles(
            List.of(image(file, table, false, 0600)), List.of(), false, OWNER, (i, m, o, l) -> {});
    assertThat(fs.list("/by-label"))
        .containsExactly("EFI System", "a\\x2fb\\x5cc", "\\x2e.", "système");
    assertThat(fs.readlink("/by-label/EFI System")).isEqualTo("../p1");
    assertThat(fs.readlink("/by-label/a\\x2fb\\x5cc")).isEqualTo("../p2");
    assertThat(fs.notes())
        .containsExactly(file + ": by-label/EFI System -> p1; p3 has the same name, and no link");
    assertThat(fs.list("/by-partuuid"))
        .containsExactly(
            "aaaaaaaa-0000-0000-0000-000000000001", "aaaaaaaa-0000-0000-0000-000000000002");
    assertThat(fs.stat("/p1").permissions()).isEqualTo(0400);
  }

  @Test
  void filesystemLabelsLinkAfterEveryGptName() throws IOException {
    var table =
        TestImages.gptTable(
            SIZE,
            List.of(
                TestImages.gpt(1, 34, 100, "root", null),
                TestImages.gpt(2, 134, 100, "", null),
                TestImages.gpt(3, 234, 100, "", null),
                TestImages.gpt(4, 334, 100, "", null)));
    // p2's label is p1's GPT name, which keeps it; p4's is escaped like a name
    Image labelled =
        withFilesystemLabels(
            image(file, table, false, 0600), Map.of(1, "rootfs", 2, "root", 3, "data", 4, "a/b"));
    PartitionFiles fs =
        new PartitionFiles(List.of(labelled), List.of(), false, OWNER, (i, m, o, l) -> {});
    assertThat(fs.list("/by-label")).containsExactly("root", "rootfs", "data", "a\\x2fb");
    assertThat(fs.readlink("/by-label/root")).isEqualTo("../p1");
    assertThat(fs.readlink("/by-label/rootfs")).isEqualTo("../p1");
    assertThat(fs.readlink("/by-label/data")).isEqualTo("../p3");
    assertThat(fs.readlink("/by-label/a\\x2fb")).isEqualTo("../p4");
    assertThat(fs.notes())
        .as("a label equal to its own partition's name is no clash; p2's is")
        .containsExactly(file + ": by-label/root -> p1; p2 has the same name, and no link");
  }

  @Test
  void aClashOfBothGptNamesAndBothLabelsIsOneNote() throws IOException {
    var table =
        TestImages.gptTable(
            SIZE,
            List.of(
                TestImages.gpt(1, 34, 100, "data", null),
                TestImages.gpt(2, 134, 100, "data", null)));
    Image labelled =
        withFilesystemLabels(image(file, table, false, 0600), Map.of(1, "data", 2, "data"));
    PartitionFiles fs =
        new PartitionFiles(List.of(labelled), List.of(), false, OWNER, (i, m, o, l) -> {});
    assertThat(fs.list("/by-label")).containsExactly("data");
    assertThat(fs.notes())
        .containsExactly(file + ": by-label/data -> p1; p2 has the same name, and no link");
  }

  private static Image withFilesystemLabels(Image plain, Map<Integer, String> labels) {
    return new Image(
        plain.name(),
        plain.path(),
        plain.channel(),
        plain.size(),
        plain.table(),
        plain.sectorSize(),
        plain.permissions(),
        plain.mtimeSeconds(),
        plain.fileKey(),
        labels);
  }

  @Test
  void anImageWithoutTableHasDiskAndOffsetOnly() throws IOException {
    PartitionFiles fs =
        new PartitionFiles(
            List.of(image(file, null, false, 0644)), List.of(), false, OWNER, (i, m, o, l) -> {});
    assertThat(fs.list("/")).containsExactly("disk", "offset", "by-label", "by-partuuid");
    assertThat(read(fs, "/offset/1K:16", 0, 100)).isEqualTo(expected(1024, 16));
  }

  @Test
  void severalImagesGetAFolderEach() throws IOException {
    Path other = TestImages.patterned(dir, "other.img", 8192);
    PartitionFiles fs =
        new PartitionFiles(
            List.of(
                image(file, TestImages.legacyMbr(SIZE), false, 0644),
                image(other, null, false, 0600)),
            List.of(ViewSpec.parse("head=0:512")),
            false,
            OWNER,
            (i, m, o, l) -> {});
    assertThat(fs.list("/")).containsExactly("legacy.img", "other.img");
    assertThat(fs.list("/other.img"))
        .containsExactly("disk", "offset", "by-label", "by-partuuid", "head");
    assertThat(read(fs, "/legacy.img/p1", 0, 8)).isEqualTo(expected(32256, 8));
    assertThat(fs.stat("/other.img/offset/4096").size()).isEqualTo(4096);
    assertThat(fs.stat("/legacy.img/head").size()).isEqualTo(512);
    // Each image folder shows its own image's permissions.
    assertThat(fs.stat("/legacy.img").permissions()).isEqualTo(0555);
    assertThat(fs.stat("/other.img").permissions()).isEqualTo(0500);
    assertThat(fs.stat("/other.img/offset").permissions()).isEqualTo(0500);
    assertThat(fs.stat("/other.img/disk").permissions()).isEqualTo(0400);
    assertErrno(() -> fs.stat("/p1"), Errno.ENOENT);
    assertThat(fs.statfs().blocks()).isEqualTo(SIZE / 4096 + 2);
    assertThat(fs.statfs().nameMax()).isEqualTo(255);
  }

  @Test
  void twoImagesWithOneNameAreRefused() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path twin = TestImages.patterned(sub, "legacy.img", 4096);
    assertThatThrownBy(
            () ->
                new PartitionFiles(
                    List.of(image(file, null, false, 0644), image(twin, null, false, 0644)),
                    List.of(),
                    false,
                    OWNER,
                    (i, m, o, l) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two images are named 'legacy.img'");
  }

  @Test
  void foldersAreNotFiles() throws IOException {
    PartitionFiles fs = legacy(false);
    assertErrno(() -> fs.locate("/offset", 0, 1), Errno.EISDIR);
    assertErrno(() -> fs.list("/p1"), Errno.ENOTDIR);
    assertThat(fs.stat("/by-label").kind()).isEqualTo(Kind.DIRECTORY);
  }
}
