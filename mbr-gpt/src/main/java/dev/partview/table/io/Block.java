package dev.partview.table.io;

import dev.partview.table.PartitionTableException;
import dev.partview.table.PartitionTableException.Kind;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * A run of bytes read from an image, with bounds-checked little-endian reads at offsets relative to
 * the block. Every out-of-range read is a {@link PartitionTableException} naming the structure and
 * the absolute offset, never an IndexOutOfBoundsException.
 */
public final class Block {
  private final String structure;
  private final long base;
  private final byte[] bytes;

  private Block(String structure, long base, byte[] bytes) {
    this.structure = structure;
    this.base = base;
    this.bytes = bytes;
  }

  /**
   * Reads {@code length} bytes at {@code offset}; the caller has capped {@code length}.
   *
   * @throws PartitionTableException TRUNCATED if the image ends first
   */
  public static Block read(ByteSource src, String structure, long offset, int length)
      throws IOException {
    long size = src.size();
    if (offset < 0 || offset > size || length > size - offset) {
      throw new PartitionTableException(
          Kind.TRUNCATED,
          structure,
          offset,
          "image ends at byte " + size + ", " + length + " bytes needed");
    }
    byte[] b = new byte[length];
    try {
      src.readFully(offset, ByteBuffer.wrap(b));
    } catch (EOFException e) {
      throw new PartitionTableException(Kind.TRUNCATED, structure, offset, e.getMessage());
    }
    return new Block(structure, offset, b);
  }

  public static Block of(String structure, long base, byte[] bytes) {
    return new Block(structure, base, bytes);
  }

  public String structure() {
    return structure;
  }

  /** Absolute byte offset of this block's first byte in the image. */
  public long base() {
    return base;
  }

  public int length() {
    return bytes.length;
  }

  public int u8(int off) throws PartitionTableException {
    check(off, 1);
    return bytes[off] & 0xFF;
  }

  public int u16(int off) throws PartitionTableException {
    check(off, 2);
    return (bytes[off] & 0xFF) | (bytes[off + 1] & 0xFF) << 8;
  }

  /** An unsigned 32-bit value, as a long. */
  public long u32(int off) throws PartitionTableException {
    check(off, 4);
    return (bytes[off] & 0xFFL)
        | (bytes[off + 1] & 0xFFL) << 8
        | (bytes[off + 2] & 0xFFL) << 16
        | (bytes[off + 3] & 0xFFL) << 24;
  }

  /** A 64-bit value; callers treat values above Long.MAX_VALUE (negative here) as corrupt. */
  public long u64(int off) throws PartitionTableException {
    return u32(off) | u32(off + 4) << 32;
  }

  /**
   * A GUID in the UEFI mixed-endian layout: the first three fields little-endian, the last eight
   * bytes as stored (UEFI 2.10 appendix A).
   */
  public UUID guid(int off) throws PartitionTableException {
    check(off, 16);
    long msb = u32(off) << 32 | (long) u16(off + 4) << 16 | u16(off + 6);
    long lsb = 0;
    for (int i = 8; i < 16; i++) lsb = lsb << 8 | (bytes[off + i] & 0xFF);
    return new UUID(msb, lsb);
  }

  /**
   * UTF-16LE text of at most {@code units} code units, cut at the first NUL or 0xFFFF (the fill of
   * erased flash, never a character). An unpaired surrogate becomes U+FFFD on its own: the JDK's
   * decoder would take the unit after it along.
   */
  public String utf16le(int off, int units) throws PartitionTableException {
    check(off, units * 2);
    StringBuilder text = new StringBuilder(units);
    for (int i = 0; i < units; i++) {
      char c = (char) u16(off + 2 * i);
      if (c == 0 || c == 0xFFFF) break;
      char next = i + 1 < units ? (char) u16(off + 2 * i + 2) : 0;
      if (Character.isHighSurrogate(c) && Character.isLowSurrogate(next)) {
        text.append(c).append(next);
        i++;
      } else {
        text.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return text.toString();
  }

  public boolean matches(int off, byte[] expected) throws PartitionTableException {
    check(off, expected.length);
    for (int i = 0; i < expected.length; i++) if (bytes[off + i] != expected[i]) return false;
    return true;
  }

  /**
   * The CRC32 (as GPT uses it: zlib's, {@link CRC32}) of a range, with the four bytes at {@code
   * zeroedAt} counted as zero, or {@code zeroedAt} -1 for none. No copy of the range is made.
   */
  public long crc32(int off, int len, int zeroedAt) throws PartitionTableException {
    check(off, len);
    CRC32 crc = new CRC32();
    if (zeroedAt < off || zeroedAt + 4 > off + len) {
      crc.update(bytes, off, len);
    } else {
      crc.update(bytes, off, zeroedAt - off);
      crc.update(new byte[4]);
      crc.update(bytes, zeroedAt + 4, off + len - zeroedAt - 4);
    }
    return crc.getValue();
  }

  public boolean allZero(int off, int len) throws PartitionTableException {
    check(off, len);
    for (int i = off; i < off + len; i++) if (bytes[i] != 0) return false;
    return true;
  }

  private void check(int off, int len) throws PartitionTableException {
    if (off < 0 || len < 0 || off > bytes.length - len) {
      throw new PartitionTableException(
          Kind.CORRUPT,
          structure,
          base + Math.max(off, 0),
          "read of "
              + len
              + " bytes at block offset "
              + off
              + " (expected range 0.."
              + bytes.length
              + ")");
    }
  }
}
