package dev.partview.cli;

import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.LoopAttachment;
import dev.partview.testimages.Tool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Disk images made by the real tools (sfdisk, sgdisk, mkfs.*) with fixed identifiers, so listings
 * of them can be compared with golden text, and {@code sfdisk --json} of each as the reference.
 */
final class TestDisks {
  private TestDisks() {}

  /** An image and what {@code sfdisk --json} says about it (read at its real sector size). */
  record Disk(Path image, String sfdiskJson) {}

  /**
   * A DOS disk laid out the pre-2008 way: cylinder-aligned, first partition at LBA 63 (byte 32256),
   * an extended partition with two logicals, each 63 sectors after its EBR. ext4 (bootable), swap
   * and FAT in the data partitions.
   */
  static Disk legacyMbr(Path dir) throws IOException, InterruptedException {
    require("sfdisk", "mkfs.ext4", "mkswap", "mkfs.vfat");
    Path img = dir.resolve("legacy.img");
    sparseFile(img, 32 << 20);
    Tool.okWithInput(
        String.join(
            "\n",
            "label: dos",
            "label-id: 0x1234abcd",
            "unit: sectors",
            "",
            "start=63, size=16002, type=83, bootable",
            "start=16065, size=32130, type=5",
            "start=16128, size=8001, type=82",
            "start=24192, size=16002, type=c",
            ""),
        "sfdisk",
        "-q",
        "--no-reread",
        "--no-tell-kernel",
        img.toString());
    Tool.ok(
        "mkfs.ext4",
        "-q",
        "-F",
        "-L",
        "legacyroot",
        "-U",
        "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "-E",
        "offset=" + 63 * 512,
        img.toString(),
        "8001k");
    swapAt(
        dir, img, 16128L * 512, 8001L * 512, "legacyswap", "0e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a2b");
    Tool.ok(
        "mkfs.vfat",
        "-n",
        "LEGACYFAT",
        "-i",
        "0badcafe",
        "--offset",
        "24192",
        img.toString(),
        "8001");
    return new Disk(img, Tool.ok("sfdisk", "--json", img.toString()).out());
  }

  /**
   * A GPT disk with names outside ASCII, a gap in the numbering (p1, p2, p4), the legacy-BIOS
   * bootable attribute on p1, and ext4, FAT and swap inside.
   */
  static Disk unicodeGpt(Path dir) throws IOException, InterruptedException {
    require("sgdisk", "sfdisk", "mkfs.ext4", "mkswap", "mkfs.vfat");
    Path img = dir.resolve("unicode-gpt.img");
    sparseFile(img, 24 << 20);
    Tool.ok(
        "sgdisk",
        "-o",
        "-U",
        "11111111-2222-4333-8444-555555555555",
        "-n",
        "1:2048:+8M",
        "-t",
        "1:8304",
        "-c",
        "1:Zürich ☃ root",
        "-u",
        "1:aaaaaaaa-0000-4000-8000-000000000001",
        "-A",
        "1:set:2",
        "-n",
        "2:0:+4M",
        "-t",
        "2:ef00",
        "-c",
        "2:EFI ✓",
        "-u",
        "2:aaaaaaaa-0000-4000-8000-000000000002",
        "-n",
        "4:0:+2M",
        "-t",
        "4:8200",
        "-c",
        "4:swap — Ελληνικά",
        "-u",
        "4:aaaaaaaa-0000-4000-8000-000000000004",
        img.toString());
    Tool.ok(
        "mkfs.ext4",
        "-q",
        "-F",
        "-L",
        "gptroot",
        "-U",
        "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4e",
        "-E",
        "offset=" + (1 << 20),
        img.toString(),
        "8M");
    Tool.ok(
        "mkfs.vfat", "-n", "EFI", "-i", "0badf00d", "--offset", "18432", img.toString(), "4096");
    swapAt(dir, img, 26624L * 512, 2 << 20, "gptswap", "0e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a2c");
    return new Disk(img, Tool.ok("sfdisk", "--json", img.toString()).out());
  }

  /**
   * A GPT disk with 4096-byte logical sectors (a 4Kn drive's image): partitioned by sgdisk on a
   * loop device with a 4096-byte block size, since tools on a plain file assume 512.
   */
  static Disk gpt4k(Path dir) throws IOException, InterruptedException {
    IntegrationEnvironment.requireLoop();
    require("losetup", "sgdisk", "sfdisk", "mkfs.ext4", "mkswap");
    Path img = dir.resolve("gpt-4k.img");
    sparseFile(img, 32 << 20);
    String json;
    try (LoopAttachment loop = LoopAttachment.attach(img, 4096)) {
      Tool.ok(
          "sgdisk",
          "-o",
          "-U",
          "22222222-3333-4444-8555-666666666666",
          "-n",
          "1:256:+16M",
          "-t",
          "1:8300",
          "-c",
          "1:data4k",
          "-u",
          "1:bbbbbbbb-0000-4000-8000-000000000001",
          "-n",
          "2:0:+4M",
          "-t",
          "2:8200",
          "-c",
          "2:swap4k",
          "-u",
          "2:bbbbbbbb-0000-4000-8000-000000000002",
          loop.device());
      json = Tool.ok("sfdisk", "--json", loop.device()).out();
    }
    Tool.ok(
        "mkfs.ext4",
        "-q",
        "-F",
        "-b",
        "4096",
        "-L",
        "data4k",
        "-U",
        "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4f",
        "-E",
        "offset=" + (256L * 4096),
        img.toString(),
        "16M");
    swapAt(dir, img, 4352L * 4096, 4 << 20, "swap4k", "0e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a2d");
    return new Disk(img, json);
  }

  /** ISO 9660 images made by xorriso: plain, or hybrid with a GPT (grub-mkrescue's layout). */
  static Path iso(Path dir, String name, String... hybridOptions)
      throws IOException, InterruptedException {
    require("xorriso", "mkfs.vfat");
    Path tree = Files.createDirectories(dir.resolve(name + "-tree"));
    Files.writeString(tree.resolve("README.txt"), "hello from " + name + "\n");
    // A FAT image inside the tree, for El Torito (-e efi.img) and to append as a partition.
    Path efi = tree.resolve("efi.img");
    sparseFile(efi, 1440 << 10);
    Tool.ok("mkfs.vfat", "-n", "EFIBOOT", efi.toString());
    Path iso = dir.resolve(name + ".iso");
    java.util.List<String> cmd =
        new java.util.ArrayList<>(
            java.util.List.of(
                "xorriso",
                "-as",
                "mkisofs",
                "-quiet",
                "-V",
                name.toUpperCase(),
                "-o",
                iso.toString()));
    for (String o : hybridOptions) cmd.add(o.replace("EFI_IMG", efi.toString()));
    cmd.add(tree.toString());
    Tool.ok(cmd.toArray(String[]::new));
    return iso;
  }

  private static void swapAt(Path dir, Path img, long offset, long size, String label, String uuid)
      throws IOException, InterruptedException {
    Path swap = dir.resolve(img.getFileName() + ".swap");
    sparseFile(swap, size);
    Tool.ok("mkswap", "-q", "-L", label, "-U", uuid, swap.toString());
    place(swap, img, offset);
    Files.delete(swap);
  }

  private static void require(String... tools) {
    for (String t : tools) IntegrationEnvironment.requireTool(t);
  }

  private static void sparseFile(Path p, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(0);
      f.setLength(size);
    }
  }

  /** Copies {@code from} into {@code to} at byte {@code offset}, keeping holes. */
  private static void place(Path from, Path to, long offset)
      throws IOException, InterruptedException {
    if (offset % 512 != 0) throw new IllegalArgumentException("offset " + offset);
    Tool.ok(
        "dd",
        "if=" + from,
        "of=" + to,
        "bs=512",
        "seek=" + offset / 512,
        "conv=sparse,notrunc",
        "status=none");
  }
}
