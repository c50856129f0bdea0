package dev.partview.testimages;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.tukaani.xz.XZInputStream;

/**
 * Decompresses an .xz file into a sparse file: all-zero 64 KiB blocks are skipped by positioning
 * the channel and the length is set at the end, so a 150 MB image of mostly zeros costs a few MB.
 */
final class SparseXz {
  private static final int BLOCK = 64 * 1024;

  private SparseXz() {}

  /** Writes to a temporary sibling first and renames it, so a half-written file never appears. */
  static Path decompress(Path xz, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
    try {
      try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(xz)));
          RandomAccessFile raf = new RandomAccessFile(tmp.toFile(), "rw")) {
        FileChannel out = raf.getChannel();
        byte[] block = new byte[BLOCK];
        long position = 0;
        for (int n; (n = in.readNBytes(block, 0, BLOCK)) > 0; position += n) {
          if (isZero(block, n)) continue;
          ByteBuffer buf = ByteBuffer.wrap(block, 0, n);
          while (buf.hasRemaining()) out.write(buf, position + buf.position());
        }
        raf.setLength(position);
      }
      return Files.move(
          tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean isZero(byte[] block, int length) {
    for (int i = 0; i < length; i++) {
      if (block[i] != 0) return false;
    }
    return true;
  }
}
