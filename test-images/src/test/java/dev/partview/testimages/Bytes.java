package dev.partview.testimages;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/** Little-endian reads for assertions on built images. */
final class Bytes {
  private Bytes() {}

  static int u8(byte[] b, long offset) {
    return b[(int) offset] & 0xFF;
  }

  static int u16(byte[] b, long offset) {
    return le(b).getShort((int) offset) & 0xFFFF;
  }

  static long u32(byte[] b, long offset) {
    return le(b).getInt((int) offset) & 0xFFFF_FFFFL;
  }

  static long u64(byte[] b, long offset) {
    return le(b).getLong((int) offset);
  }

  static byte[] slice(byte[] b, long offset, int length) {
    return Arrays.copyOfRange(b, (int) offset, (int) offset + length);
  }

  /** A GPT header's CRC32 over {@code size} bytes, its own field (bytes 16-19) taken as zero. */
  static long headerCrc(byte[] image, long header, int size) {
    byte[] copy = slice(image, header, size);
    Arrays.fill(copy, 16, 20, (byte) 0);
    CRC32 crc = new CRC32();
    crc.update(copy);
    return crc.getValue();
  }

  static byte[] hex(String hex) {
    String s = hex.replace(" ", "");
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  static boolean allZero(byte[] b, long offset, int length) {
    for (int i = 0; i < length; i++) {
      if (b[(int) offset + i] != 0) return false;
    }
    return true;
  }

  /** {@code length} bytes of a file from {@code offset}. */
  static byte[] read(Path file, long offset, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    try (FileChannel ch = FileChannel.open(file)) {
      while (buf.hasRemaining()) {
        if (ch.read(buf, offset + buf.position()) < 0) throw new IOException("EOF in " + file);
      }
    }
    return buf.array();
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }
}
