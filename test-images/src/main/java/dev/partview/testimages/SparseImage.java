package dev.partview.testimages;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A disk image held as the few 4 KiB pages that are not zero, so a GiB-sized image with a few KiB
 * of tables costs a few KiB of memory and, written out, a sparse file.
 */
final class SparseImage {
  private static final int PAGE = 4096;

  private final long length;
  private final TreeMap<Long, byte[]> pages = new TreeMap<>();

  SparseImage(long length) {
    if (length < 0) throw new IllegalArgumentException("negative image length: " + length);
    this.length = length;
  }

  long length() {
    return length;
  }

  /**
   * Copies {@code bytes} to {@code offset}; whatever lies at or past {@link #length()} is dropped.
   */
  void write(long offset, byte[] bytes) {
    if (offset < 0) throw new IllegalArgumentException("negative offset: " + offset);
    long end = Math.min(length, offset + bytes.length);
    for (long pos = offset; pos < end; ) {
      long page = pos / PAGE;
      int inPage = (int) (pos % PAGE);
      int n = (int) Math.min(PAGE - inPage, end - pos);
      byte[] target = pages.computeIfAbsent(page, p -> new byte[PAGE]);
      System.arraycopy(bytes, (int) (pos - offset), target, inPage, n);
      pos += n;
    }
  }

  byte[] toBytes() {
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(
          "image of " + length + " bytes does not fit a byte[]; use writeTo(Path)");
    }
    byte[] out = new byte[(int) length];
    for (Map.Entry<Long, byte[]> e : pages.entrySet()) {
      long pos = e.getKey() * PAGE;
      System.arraycopy(e.getValue(), 0, out, (int) pos, (int) Math.min(PAGE, length - pos));
    }
    return out;
  }

  /** Writes only the non-zero pages, then sets the length: the zeros become holes. */
  Path writeTo(Path file) throws IOException {
    Files.deleteIfExists(file);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      FileChannel channel = raf.getChannel();
      for (Map.Entry<Long, byte[]> e : pages.entrySet()) {
        long pos = e.getKey() * PAGE;
        ByteBuffer buf = ByteBuffer.wrap(e.getValue(), 0, (int) Math.min(PAGE, length - pos));
        while (buf.hasRemaining()) pos += channel.write(buf, pos);
      }
      raf.setLength(length);
    }
    return file;
  }
}
