package dev.partview.table;

import dev.partview.table.io.FileChannelSource;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Files and tables for the cross-checking integration tests (the tools run through {@code Tool}).
 */
final class Tools {
  private Tools() {}

  /** A sparse file of {@code bytes} (a hole, as {@code truncate -s} makes). */
  static Path sparseFile(Path dir, String name, long bytes) throws IOException {
    Path f = dir.resolve(name);
    try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(bytes);
    }
    return f;
  }

  static PartitionTable read(Path image) throws IOException {
    return read(image, ReadOptions.defaults());
  }

  static PartitionTable read(Path image, ReadOptions options) throws IOException {
    try (FileChannelSource src = FileChannelSource.open(image)) {
      return PartitionTableReader.read(src, options);
    }
  }

  /** The partition number at the end of sfdisk's "node" ({@code /tmp/x/disk.img5} → 5). */
  static int nodeNumber(String node) {
    int i = node.length();
    while (i > 0 && Character.isDigit(node.charAt(i - 1))) i--;
    return Integer.parseInt(node.substring(i));
  }
}
