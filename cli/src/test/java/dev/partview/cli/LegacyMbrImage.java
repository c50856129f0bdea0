package dev.partview.cli;

import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A 64 MiB image with the legacy DOS layout, made by sfdisk (an independent writer of the table):
 * p1 at sector 63 (byte 32256) holding ext4 with {@code hello.txt}, p2 extended, logicals p5 and p6
 * (each 63 sectors after its EBR, as old fdisk made them).
 */
final class LegacyMbrImage {
  static final long MIB = 1 << 20;
  static final String HELLO = "hello from a 63-sector partition\n";

  /** {number, first sector, sectors} of the data partitions, as written below. */
  static final long[][] DATA = {{1, 63, 40000}, {5, 40126, 20000}, {6, 60189, 30000}};

  static final String LAYOUT =
      String.join(
          "\n",
          "label: dos",
          "unit: sectors",
          "63,40000,83",
          "40063,80000,5",
          "40126,20000,83",
          "60189,30000,83",
          "");

  private LegacyMbrImage() {}

  static Path build(Path dir, String name) throws IOException, InterruptedException {
    IntegrationEnvironment.requireTool("sfdisk");
    IntegrationEnvironment.requireTool("mkfs.ext4");
    Path img = dir.resolve(name);
    try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
      f.setLength(64 * MIB); // sparse
    }
    Tool.okWithInput(LAYOUT, "sfdisk", "-q", img.toString());
    Path src = dir.resolve(name + ".src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("hello.txt"), HELLO);
    Tool.ok(
        "mkfs.ext4",
        "-q",
        "-F",
        "-E",
        "offset=" + 63 * 512,
        "-d",
        src.toString(),
        img.toString(),
        (40000 / 2) + "k");
    return img;
  }

  /** A file with no partition table: an ext4 filesystem from its first byte. */
  static Path bareExt4(Path dir, String name) throws IOException, InterruptedException {
    IntegrationEnvironment.requireTool("mkfs.ext4");
    Path img = dir.resolve(name);
    Path src = dir.resolve(name + ".src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("hello.txt"), HELLO);
    Tool.ok("mkfs.ext4", "-q", "-F", "-d", src.toString(), img.toString(), "8M");
    return img;
  }
}
