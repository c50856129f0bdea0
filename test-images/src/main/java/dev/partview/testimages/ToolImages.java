package dev.partview.testimages;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

/**
 * Images partitioned and formatted by the real tools (sfdisk, mkfs.ext4), for the integration tests
 * that mount or attach them. Where {@link DiskImageBuilder} is the oracle for the table parser,
 * these are what users have: the tools' own bytes.
 */
public final class ToolImages {
  private ToolImages() {}

  public static final int MIB = 1 << 20;

  /** {@code size} bytes of seeded random data, so that every range differs from every other. */
  public static Path random(Path file, long size, long seed) throws IOException {
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
  public static final String LEGACY_LAYOUT =
      "start=63,size=40000,type=83\n"
          + "start=40063,size=20000,type=83\n"
          + "start=60063,size=60000,type=5\n"
          + "start=60126,size=20000,type=83\n"
          + "start=80189,size=30000,type=82\n";

  /** Byte ranges {@code {start, size}} of p1, p2, p5, p6 in {@link #legacy}. */
  public static final List<long[]> LEGACY_PARTS =
      List.of(
          new long[] {63L * 512, 40000L * 512},
          new long[] {40063L * 512, 20000L * 512},
          new long[] {60126L * 512, 20000L * 512},
          new long[] {80189L * 512, 30000L * 512});

  public static final List<String> LEGACY_NAMES = List.of("p1", "p2", "p5", "p6");

  /**
   * 64 MiB of random data (seeded: other seeds, other bytes) under a legacy MBR: p1 63+40000, p2
   * 40063+20000, extended p3 60063+60000 holding p5 60126+20000 and p6 80189+30000 (sectors).
   */
  public static Path legacy(Path file, long seed) throws IOException, InterruptedException {
    IntegrationEnvironment.requireTool("sfdisk");
    random(file, 64L * MIB, seed);
    Tool.okWithInput(LEGACY_LAYOUT, "sfdisk", "-q", file.toString());
    return file;
  }

  /**
   * {@code DIR/ext.img}: 64 MiB of random bytes, p1 at 1 MiB holding an ext4 (30 MiB) with {@code
   * hello.txt} = {@code content}, and p2 after it.
   */
  public static Path ext4(Path dir, String content) throws IOException, InterruptedException {
    IntegrationEnvironment.requireTool("sfdisk");
    IntegrationEnvironment.requireTool("mkfs.ext4");
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("hello.txt"), content);
    Path img = random(dir.resolve("ext.img"), 64L * MIB, 4);
    Tool.okWithInput(
        "start=2048,size=61440,type=83\nstart=63488,type=83\n", "sfdisk", "-q", img.toString());
    Tool.ok(
        "mkfs.ext4",
        "-q",
        "-F",
        "-E",
        "offset=1048576",
        "-d",
        src.toString(),
        img.toString(),
        "30M");
    return img;
  }
}
