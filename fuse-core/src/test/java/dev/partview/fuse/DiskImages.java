package dev.partview.fuse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/** Real images for the integration tests, partitioned by sfdisk and sgdisk. */
final class DiskImages {
  private DiskImages() {}

  static final int MIB = 1 << 20;

  /** {@code size} bytes of seeded random data, so that every range differs from every other. */
  static Path random(Path file, long size, long seed) throws IOException {
    Random r = new Random(seed);
    byte[] chunk = new byte[MIB];
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long pos = 0; pos < size; pos += MIB) {
        r.nextBytes(chunk);
        ch.write(ByteBuffer.wrap(chunk, 0, (int) Math.min(MIB, size - pos)), pos);
      }
    }
    return file;
  }

  /** sfdisk script of {@link #legacy}: DOS-era layout, p1 at sector 63, logicals p5 and p6. */
  static final String LEGACY_LAYOUT =
      "start=63,size=40000,type=83\n"
          + "start=40063,size=20000,type=83\n"
          + "start=60063,size=60000,type=5\n"
          + "start=60126,size=20000,type=83\n"
          + "start=80189,size=30000,type=82\n";

  /**
   * 64 MiB of random data under a legacy MBR: p1 63+40000, p2 40063+20000, extended p3 60063+60000
   * holding p5 60126+20000 and p6 80189+30000 (sectors).
   */
  static Path legacy(Path dir) throws IOException, InterruptedException {
    Path img = random(dir.resolve("legacy.img"), 64L * MIB, 63);
    Sh.sh("printf '" + LEGACY_LAYOUT.replace("\n", "\\n") + "' | sfdisk -q " + img);
    return img;
  }

  /** Byte ranges {@code {start, size}} of p1, p2, p5, p6 in {@link #legacy}. */
  static final long[][] LEGACY_PARTS = {
    {63L * 512, 40000L * 512}, {40063L * 512, 20000L * 512},
    {60126L * 512, 20000L * 512}, {80189L * 512, 30000L * 512}
  };

  static final String[] LEGACY_NAMES = {"p1", "p2", "p5", "p6"};

  /**
   * 64 MiB GPT of random data: p1 "EFI System" 20 MiB, p2 "data/one" 10 MiB, p3 "EFI System" (a
   * duplicate name) 10 MiB, p4 without a name, 8 MiB.
   */
  static Path gpt(Path dir) throws IOException, InterruptedException {
    Path img = random(dir.resolve("gpt.img"), 64L * MIB, 238);
    Sh.run(
        "sgdisk",
        "-n",
        "1:2048:+20M",
        "-c",
        "1:EFI System",
        "-t",
        "1:ef00",
        "-n",
        "2:0:+10M",
        "-c",
        "2:data/one",
        "-n",
        "3:0:+10M",
        "-c",
        "3:EFI System",
        "-n",
        "4:0:+8M",
        img.toString());
    return img;
  }
}
