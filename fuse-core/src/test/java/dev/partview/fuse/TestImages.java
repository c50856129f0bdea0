package dev.partview.fuse;

import dev.partview.table.GptTable;
import dev.partview.table.MbrTable;
import dev.partview.table.Partition;
import dev.partview.table.PartitionKind;
import dev.partview.table.PartitionTable;
import dev.partview.table.PartitionType;
import dev.partview.table.SectorSize;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Image records over real temp files with hand-made tables: no parser involved. */
final class TestImages {
  private TestImages() {}

  static final List<FileChannel> OPEN = new ArrayList<>();

  /** A file of {@code size} bytes where byte i is {@code (i * 7 + i / 4096) & 0xff}. */
  static Path patterned(Path dir, String name, int size) throws IOException {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) b[i] = pattern(i);
    Path p = dir.resolve(name);
    Files.write(p, b);
    return p;
  }

  static byte pattern(long i) {
    return (byte) ((i * 7 + i / 4096) & 0xff);
  }

  static Image image(Path file, PartitionTable table, boolean writable, int perms)
      throws IOException {
    FileChannel ch =
        writable
            ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(file, StandardOpenOption.READ);
    OPEN.add(ch);
    int ss = table == null ? 512 : table.sectorSize().bytes();
    return new Image(
        file.getFileName().toString(),
        file,
        ch,
        ch.size(),
        table,
        ss,
        perms,
        1_700_000_000L,
        Files.readAttributes(file, BasicFileAttributes.class).fileKey(),
        java.util.Map.of());
  }

  static Partition mbr(int n, PartitionKind kind, long lba, long sectors, int type) {
    return new Partition(
        n,
        kind,
        lba,
        sectors,
        lba * 512,
        sectors * 512,
        new PartitionType.Mbr(type),
        null,
        null,
        false,
        0);
  }

  static Partition gpt(int n, long lba, long sectors, String label, UUID uuid) {
    return new Partition(
        n,
        PartitionKind.GPT,
        lba,
        sectors,
        lba * 512,
        sectors * 512,
        new PartitionType.Gpt(UUID.fromString("0fc63daf-8483-4772-8e79-3d69d8477de4")),
        label,
        uuid,
        false,
        0);
  }

  /**
   * A legacy layout in a 1 MiB image: p1 at LBA 63 (byte 32256), p2, extended p3 holding p5 and p6
   * (p6 crosses the end of the image).
   */
  static MbrTable legacyMbr(long imageSize) {
    return new MbrTable(
        0x1234abcdL,
        new SectorSize(512, "test"),
        imageSize,
        List.of(
            mbr(1, PartitionKind.PRIMARY, 63, 500, 0x83),
            mbr(2, PartitionKind.PRIMARY, 563, 400, 0x83),
            mbr(3, PartitionKind.EXTENDED, 963, 1085, 0x05),
            mbr(5, PartitionKind.LOGICAL, 1026, 500, 0x83),
            mbr(6, PartitionKind.LOGICAL, 1589, 600, 0x82)),
        List.of());
  }

  static GptTable gptTable(long imageSize, List<Partition> parts) {
    return new GptTable(
        UUID.fromString("11111111-2222-3333-4444-555555555555"),
        new SectorSize(512, "test"),
        imageSize,
        parts,
        List.of(),
        false,
        false,
        34,
        imageSize / 512 - 34);
  }

  static ByteBuffer buffer(int n) {
    return ByteBuffer.allocateDirect(n);
  }

  static void closeAll() throws IOException {
    for (FileChannel c : OPEN) c.close();
    OPEN.clear();
  }
}
