package dev.partview.fuse;

import dev.partview.testimages.Tool;
import dev.partview.testimages.ToolImages;
import java.io.IOException;
import java.nio.file.Path;

/** A GPT image for the integration tests, partitioned by sgdisk (the others: ToolImages). */
final class DiskImages {
  private DiskImages() {}

  /**
   * 64 MiB GPT of random data: p1 "EFI System" 20 MiB, p2 "data/one" 10 MiB, p3 "EFI System" (a
   * duplicate name) 10 MiB, p4 without a name, 8 MiB.
   */
  static Path gpt(Path dir) throws IOException, InterruptedException {
    Path img = ToolImages.random(dir.resolve("gpt.img"), 64L * ToolImages.MIB, 238);
    Tool.ok(
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
