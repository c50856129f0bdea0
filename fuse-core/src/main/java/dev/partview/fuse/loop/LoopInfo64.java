package dev.partview.fuse.loop;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code struct loop_info64} of {@code linux/loop.h}, 232 bytes in native byte order:
 *
 * <pre>
 *   0 u64 lo_device      (read-only: st_dev of the backing file)
 *   8 u64 lo_inode       (read-only: st_ino of the backing file)
 *  16 u64 lo_rdevice     (read-only)
 *  24 u64 lo_offset
 *  32 u64 lo_sizelimit   (0 = up to the end of the file)
 *  40 u32 lo_number      (read-only)
 *  44 u32 lo_encrypt_type, 48 u32 lo_encrypt_key_size (obsolete, must be 0)
 *  52 u32 lo_flags
 *  56 u8  lo_file_name[64]
 * 120 u8  lo_crypt_name[64], 184 u8 lo_encrypt_key[32], 216 u64 lo_init[2] (unused, 0)
 * </pre>
 *
 * Offsets checked against {@code offsetof} by a C program (notes/jnr-fuse-loop.md §3.1).
 *
 * @param fileName lo_file_name: free text the kernel stores (cut to 63 bytes); partview puts the
 *     image and partition there. The full backing path is in sysfs, not here.
 */
public record LoopInfo64(
    long device,
    long inode,
    long rdevice,
    long offset,
    long sizeLimit,
    int number,
    int flags,
    String fileName) {

  static final int SIZE = 232;
  static final int OFF_DEVICE = 0;
  static final int OFF_INODE = 8;
  static final int OFF_RDEVICE = 16;
  static final int OFF_OFFSET = 24;
  static final int OFF_SIZELIMIT = 32;
  static final int OFF_NUMBER = 40;
  static final int OFF_FLAGS = 52;
  static final int OFF_FILE_NAME = 56;

  public LoopInfo64 {
    Objects.requireNonNull(fileName, "fileName");
    if (offset < 0 || sizeLimit < 0) {
      throw new IllegalArgumentException(
          "negative offset or size limit: " + offset + ", " + sizeLimit);
    }
  }

  /** What a caller sets: the read-only fields are zero. */
  public static LoopInfo64 of(long offset, long sizeLimit, int flags, String fileName) {
    return new LoopInfo64(0, 0, 0, offset, sizeLimit, 0, flags, fileName);
  }

  public LoopInfo64 withFlags(int newFlags) {
    return new LoopInfo64(device, inode, rdevice, offset, sizeLimit, number, newFlags, fileName);
  }

  byte[] encode() {
    byte[] b = new byte[SIZE];
    encodeInto(ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()), 0);
    return b;
  }

  /**
   * Writes this struct at {@code base} of {@code buf} (native order), leaving other bytes alone.
   */
  void encodeInto(ByteBuffer buf, int base) {
    buf.putLong(base + OFF_DEVICE, device);
    buf.putLong(base + OFF_INODE, inode);
    buf.putLong(base + OFF_RDEVICE, rdevice);
    buf.putLong(base + OFF_OFFSET, offset);
    buf.putLong(base + OFF_SIZELIMIT, sizeLimit);
    buf.putInt(base + OFF_NUMBER, number);
    buf.putInt(base + OFF_FLAGS, flags);
    byte[] name = truncatedName(fileName);
    for (int i = 0; i < LoopAbi.LO_NAME_SIZE; i++) {
      buf.put(base + OFF_FILE_NAME + i, i < name.length ? name[i] : 0);
    }
  }

  static LoopInfo64 decode(byte[] b) {
    if (b.length != SIZE) throw new IllegalArgumentException("loop_info64 is " + SIZE + " bytes");
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    int len = 0;
    while (len < LoopAbi.LO_NAME_SIZE && b[OFF_FILE_NAME + len] != 0) len++;
    String name = new String(b, OFF_FILE_NAME, len, StandardCharsets.UTF_8);
    return new LoopInfo64(
        buf.getLong(OFF_DEVICE),
        buf.getLong(OFF_INODE),
        buf.getLong(OFF_RDEVICE),
        buf.getLong(OFF_OFFSET),
        buf.getLong(OFF_SIZELIMIT),
        buf.getInt(OFF_NUMBER),
        buf.getInt(OFF_FLAGS),
        name);
  }

  /**
   * At most 63 bytes of UTF-8 (the kernel keeps a NUL in the 64th), cut on a character boundary so
   * the name never ends in half a character.
   */
  static byte[] truncatedName(String name) {
    byte[] all = name.getBytes(StandardCharsets.UTF_8);
    int max = LoopAbi.LO_NAME_SIZE - 1;
    if (all.length <= max) return all;
    int cut = max;
    while (cut > 0 && (all[cut] & 0xC0) == 0x80) cut--; // all[cut] starts the first dropped char
    return Arrays.copyOf(all, cut);
  }
}
