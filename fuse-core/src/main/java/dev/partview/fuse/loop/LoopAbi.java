package dev.partview.fuse.loop;

/**
 * Request numbers and flags of the Linux loop driver ({@code linux/loop.h}) and of BLKPG ({@code
 * linux/blkpg.h}, {@code linux/fs.h}). The loop requests are old-style numbers without {@code _IOC}
 * encoding, so they are the same on every architecture.
 */
final class LoopAbi {
  private LoopAbi() {}

  static final long LOOP_SET_FD = 0x4C00;
  static final long LOOP_CLR_FD = 0x4C01;
  static final long LOOP_SET_STATUS64 = 0x4C04;
  static final long LOOP_GET_STATUS64 = 0x4C05;
  static final long LOOP_SET_DIRECT_IO = 0x4C08;

  /** Since Linux 4.14: the device's logical block size (512 until set). */
  static final long LOOP_SET_BLOCK_SIZE = 0x4C09;

  /** Since Linux 5.8: fd, block size, status and flags in one call, so no half-set-up device. */
  static final long LOOP_CONFIGURE = 0x4C0A;

  /** On /dev/loop-control: the number of a free device, created if none is free. */
  static final long LOOP_CTL_GET_FREE = 0x4C82;

  /** {@code _IO(0x12, 105)}: add or delete a partition of a block device. */
  static final long BLKPG = 0x1269;

  static final int BLKPG_ADD_PARTITION = 1;

  static final int LO_FLAGS_READ_ONLY = 1;
  static final int LO_FLAGS_AUTOCLEAR = 4;
  static final int LO_FLAGS_PARTSCAN = 8;
  static final int LO_FLAGS_DIRECT_IO = 16;

  /** {@code LO_NAME_SIZE}: lo_file_name holds 63 bytes and a NUL. */
  static final int LO_NAME_SIZE = 64;

  /** Bytes per sector in sysfs {@code size} files and in BLKPG, whatever the logical block size. */
  static final int SYSFS_SECTOR = 512;
}
