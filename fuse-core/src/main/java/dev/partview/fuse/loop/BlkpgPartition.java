package dev.partview.fuse.loop;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The two structs of the BLKPG ioctl ({@code linux/blkpg.h}), native byte order, 64-bit:
 *
 * <pre>
 * struct blkpg_ioctl_arg (24 bytes)        struct blkpg_partition (152 bytes)
 *   0 int   op                               0 long long start    (bytes)
 *   4 int   flags                            8 long long length   (bytes)
 *   8 int   datalen                         16 int       pno      (partition number)
 *  16 void *data  (after 4 bytes padding)   20 char      devname[64]  (unused by the kernel)
 *                                            84 char      volname[64]  (unused by the kernel)
 *                                           148 padding to a multiple of 8
 * </pre>
 *
 * @param start first byte of the partition on the whole device
 * @param length bytes
 * @param number the partition number: the node becomes {@code /dev/loopNp<number>}
 */
record BlkpgPartition(long start, long length, int number, String volumeName) {
  static final int SIZE = 152;
  static final int ARG_SIZE = 24;
  static final int OFF_START = 0;
  static final int OFF_LENGTH = 8;
  static final int OFF_PNO = 16;
  static final int OFF_DEVNAME = 20;
  static final int OFF_VOLNAME = 84;
  static final int ARG_OFF_OP = 0;
  static final int ARG_OFF_FLAGS = 4;
  static final int ARG_OFF_DATALEN = 8;
  static final int ARG_OFF_DATA = 16;
  private static final int NAME_SIZE = 64;

  BlkpgPartition {
    if (start < 0 || length <= 0 || number < 1) {
      throw new IllegalArgumentException(
          "bad partition " + number + ": start " + start + ", length " + length);
    }
  }

  byte[] encode() {
    byte[] b = new byte[SIZE];
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    buf.putLong(OFF_START, start);
    buf.putLong(OFF_LENGTH, length);
    buf.putInt(OFF_PNO, number);
    putName(b, OFF_VOLNAME, volumeName);
    return b;
  }

  /** The {@code blkpg_ioctl_arg} pointing at a {@code blkpg_partition} at {@code dataAddress}. */
  static byte[] encodeArg(int op, long dataAddress) {
    byte[] b = new byte[ARG_SIZE];
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    buf.putInt(ARG_OFF_OP, op);
    buf.putInt(ARG_OFF_FLAGS, 0);
    buf.putInt(ARG_OFF_DATALEN, SIZE);
    buf.putLong(ARG_OFF_DATA, dataAddress);
    return b;
  }

  private static void putName(byte[] b, int at, String name) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, b, at, Math.min(n.length, NAME_SIZE - 1));
  }
}
