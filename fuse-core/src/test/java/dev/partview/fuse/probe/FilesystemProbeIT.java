package dev.partview.fuse.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real filesystems made by their own mkfs tools, placed 1 MiB into a larger image (as a partition
 * would be), and probed through the libblkid binding; the answers must match {@code blkid -p -O
 * OFFSET -S SIZE} and what the tool was told (label, UUID). No NTFS case: mkntfs comes with
 * Debian's ntfs-3g, which depends on fuse3, which removes the fuse (v2) package FUSE mounts need.
 */
class FilesystemProbeIT {
  private static final long OFFSET = 1 << 20;

  @TempDir static Path dir;

  @BeforeAll
  static void libblkid() {
    assertThat(FilesystemProbe.unavailableReason()).isEmpty();
    assertThat(FilesystemProbe.available()).isTrue();
    assertThat(FilesystemProbe.libraryVersion()).get().asString().startsWith("libblkid 2.");
  }

  /** A filesystem to make: the tool that must be installed and the commands that make FILE. */
  record Case(
      String type, String tool, long size, String label, String uuid, List<List<String>> commands) {
    @Override
    public String toString() {
      return type;
    }
  }

  static Stream<Arguments> cases() {
    String u = "5b2a54a0-1c6e-4b9a-9f5d-6a0f1e2d3c4b";
    return Stream.of(
            new Case(
                "ext2",
                "mkfs.ext2",
                8 << 20,
                "ext2lbl",
                u,
                mk("mkfs.ext2 -q -F -L ext2lbl -U " + u + " FILE")),
            new Case(
                "ext3",
                "mkfs.ext3",
                8 << 20,
                "ext3lbl",
                u,
                mk("mkfs.ext3 -q -F -L ext3lbl -U " + u + " FILE")),
            new Case(
                "ext4",
                "mkfs.ext4",
                8 << 20,
                "root",
                u,
                mk("mkfs.ext4 -q -F -L root -U " + u + " FILE")),
            new Case(
                "vfat",
                "mkfs.vfat",
                8 << 20,
                "ESP",
                "1234-ABCD",
                mk("mkfs.vfat -n ESP -i 1234abcd FILE")),
            new Case("exfat", "mkfs.exfat", 8 << 20, "exlbl", null, mk("mkfs.exfat -L exlbl FILE")),
            new Case(
                "swap", "mkswap", 8 << 20, "swaplbl", u, mk("mkswap -L swaplbl -U " + u + " FILE")),
            new Case(
                "xfs",
                "mkfs.xfs",
                300L << 20,
                "xfslbl",
                u,
                mk("mkfs.xfs -q -f -L xfslbl -m uuid=" + u + " FILE")),
            new Case(
                "btrfs",
                "mkfs.btrfs",
                128 << 20,
                "btrlbl",
                u,
                mk("mkfs.btrfs -q -f -L btrlbl -U " + u + " FILE")),
            new Case(
                "squashfs",
                "mksquashfs",
                0,
                null,
                null,
                mk("mksquashfs SRC FILE -quiet -noappend")),
            new Case(
                "crypto_LUKS",
                "cryptsetup",
                16 << 20,
                "lukslbl",
                u,
                mk(
                    "cryptsetup luksFormat --batch-mode --type luks2 --label lukslbl --uuid "
                        + u
                        + " --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file KEY FILE")),
            new Case(
                "iso9660",
                "xorriso",
                0,
                "ISOLBL",
                null,
                mk("xorriso -as mkisofs -quiet -V ISOLBL -o FILE SRC")))
        .map(Arguments::of);
  }

  private static List<List<String>> mk(String... commands) {
    return Stream.of(commands).map(c -> List.of(c.split(" "))).toList();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void findsWhatTheToolMade(Case c) throws Exception {
    IntegrationEnvironment.requireTool(c.tool());
    Path fs = dir.resolve(c.type() + ".fs");
    if (c.size() > 0) sparseFile(fs, c.size());
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("hello.txt"), "hello\n");
    Path key = dir.resolve("key");
    Files.writeString(key, "not a secret, a test key\n");
    for (List<String> cmd : c.commands()) {
      Tool.ok(
          cmd.stream()
              .map(a -> a.replace("FILE", fs.toString()).replace("SRC", src.toString()))
              .map(a -> a.equals("KEY") ? key.toString() : a)
              .toArray(String[]::new));
    }
    Path image = embed(fs, c.type());
    long size = Files.size(fs);

    Filesystem f = probeOnce(image, OFFSET, size).orElseThrow();
    assertThat(f.type()).isEqualTo(c.type());
    if (c.label() != null) assertThat(f.label()).isEqualTo(c.label());
    if (c.uuid() != null) assertThat(f.uuid()).isEqualTo(c.uuid());
    if (IntegrationEnvironment.onPath("blkid")) {
      Map<String, String> blkid = blkid(image, OFFSET, size);
      assertThat(f.type()).isEqualTo(blkid.get("TYPE"));
      assertThat(f.label()).isEqualTo(blkid.get("LABEL"));
      assertThat(f.uuid()).isEqualTo(blkid.get("UUID"));
      assertThat(f.usage()).isEqualTo(blkid.get("USAGE"));
    }
    // Nothing in the megabyte before it.
    assertThat(probeOnce(image, 0, OFFSET)).isEmpty();
  }

  @Test
  void findsAnLvmPhysicalVolume() throws Exception {
    IntegrationEnvironment.requireLoop();
    IntegrationEnvironment.requireTool("pvcreate");
    IntegrationEnvironment.requireTool("losetup");
    Path fs = dir.resolve("lvm.fs");
    sparseFile(fs, 16 << 20);
    // pvcreate wants a block device; a loop device over the file, detached whatever happens.
    String loop = Tool.ok("losetup", "--find", "--show", fs.toString()).out().strip();
    try {
      Tool.ok(
          "pvcreate",
          "-q",
          "-ff",
          "-y",
          "--config",
          "devices { filter=[\"a|^"
              + loop
              + "$|\", \"r|.*|\"] use_devicesfile=0 }"
              + " activation { udev_sync=0 udev_rules=0 }",
          loop);
    } finally {
      Tool.ok("losetup", "-d", loop);
    }
    Path image = embed(fs, "lvm");
    Filesystem f = probeOnce(image, OFFSET, Files.size(fs)).orElseThrow();
    assertThat(f.type()).isEqualTo("LVM2_member");
    assertThat(f.usage()).isEqualTo("raid");
    assertThat(f.uuid()).matches("[0-9A-Za-z]{6}(-[0-9A-Za-z]{4}){5}-[0-9A-Za-z]{6}");
  }

  @Test
  void rangesAreCutAtTheEndOfTheImage() throws Exception {
    IntegrationEnvironment.requireTool("mkfs.ext4");
    Path fs = dir.resolve("cut.fs");
    sparseFile(fs, 8 << 20);
    Tool.ok("mkfs.ext4", "-q", "-F", "-L", "cut", fs.toString());
    Path image = embed(fs, "cut");
    long imageSize = Files.size(image);
    try (FilesystemProbe p = FilesystemProbe.open(image)) {
      assertThat(p.imageSize()).isEqualTo(imageSize);
      // A partition table claiming far more than the image holds (a truncated image).
      assertThat(p.probe(OFFSET, 1L << 40, 512))
          .get()
          .extracting(Filesystem::label)
          .isEqualTo("cut");
      assertThat(p.probe(imageSize, 1 << 20, 0)).isEmpty();
      assertThat(p.probe(imageSize + 4096, 1 << 20, 0)).isEmpty();
      assertThat(p.probe(OFFSET, 0, 0)).isEmpty();
      // The same probe object serves range after range.
      assertThat(p.probe(0, OFFSET, 0)).isEmpty();
      assertThat(p.probe(OFFSET, Files.size(fs), 0)).isPresent();
    }
  }

  @Test
  void twoSignaturesInOneRangeAreAmbivalentNotGuessed() throws Exception {
    IntegrationEnvironment.requireTool("mkfs.ext4");
    IntegrationEnvironment.requireTool("mkfs.vfat");
    Path ext4 = dir.resolve("amb-ext4.fs");
    Path vfat = dir.resolve("amb-vfat.fs");
    sparseFile(ext4, 8 << 20);
    sparseFile(vfat, 8 << 20);
    Tool.ok("mkfs.ext4", "-q", "-F", ext4.toString());
    Tool.ok("mkfs.vfat", vfat.toString());
    // The ext4 superblock (bytes 1024..2047) copied into the FAT volume: both signatures present.
    byte[] sb = new byte[1024];
    try (RandomAccessFile e = new RandomAccessFile(ext4.toFile(), "r");
        RandomAccessFile v = new RandomAccessFile(vfat.toFile(), "rw")) {
      e.seek(1024);
      e.readFully(sb);
      v.seek(1024);
      v.write(sb);
    }
    assertThatThrownBy(() -> probeOnce(vfat, 0, Files.size(vfat)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("more than one signature")
        .hasMessageContaining(vfat.toString());
  }

  @Test
  void aMissingImageIsNamed() {
    Path missing = dir.resolve("no-such.img");
    assertThatThrownBy(() -> FilesystemProbe.open(missing))
        .isInstanceOf(java.nio.file.NoSuchFileException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void aClosedProbeRefusesToProbe() throws Exception {
    Path empty = dir.resolve("zeros.img");
    sparseFile(empty, 1 << 20);
    FilesystemProbe p = FilesystemProbe.open(empty);
    assertThat(p.probe(0, 1 << 20, 0)).isEmpty();
    p.close();
    p.close(); // idempotent
    assertThatThrownBy(() -> p.probe(0, 512, 0)).isInstanceOf(IllegalStateException.class);
  }

  /** One image, one range, no sector size: what {@code blkid -p -O OFFSET -S SIZE} is asked. */
  private static Optional<Filesystem> probeOnce(Path image, long offset, long size)
      throws IOException {
    try (FilesystemProbe p = FilesystemProbe.open(image)) {
      return p.probe(offset, size, 0);
    }
  }

  /** The filesystem at 1 MiB of a larger sparse image, with 1 MiB after it. */
  private static Path embed(Path fs, String name) throws IOException, InterruptedException {
    Path image = dir.resolve(name + ".img");
    Files.deleteIfExists(image);
    sparseFile(image, OFFSET + Files.size(fs) + (1 << 20));
    Tool.ok(
        "dd",
        "if=" + fs,
        "of=" + image,
        "bs=64K",
        "seek=" + OFFSET / (64 << 10),
        "conv=sparse,notrunc",
        "status=none");
    return image;
  }

  private static void sparseFile(Path p, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(size);
    }
  }

  private static Map<String, String> blkid(Path image, long offset, long size)
      throws IOException, InterruptedException {
    String out =
        Tool.ok(
                "blkid",
                "-p",
                "-o",
                "export",
                "-O",
                Long.toString(offset),
                "-S",
                Long.toString(size),
                image.toString())
            .out();
    Map<String, String> m = new HashMap<>();
    out.lines()
        .filter(l -> l.contains("="))
        .forEach(l -> m.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    return m;
  }
}
