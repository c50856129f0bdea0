package dev.partview.fuse.loop;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * {@code struct loop_config} for LOOP_CONFIGURE, 304 bytes in native byte order:
 *
 * <pre>
 *   0 u32 fd            the backing file
 *   4 u32 block_size    0 = the default (512)
 *   8 struct loop_info64 info
 * 240 u64 __reserved[8] must be 0
 * </pre>
 */
record LoopConfig(int fd, int blockSize, LoopInfo64 info) {
  static final int SIZE = 304;
  static final int OFF_FD = 0;
  static final int OFF_BLOCK_SIZE = 4;
  static final int OFF_INFO = 8;

  LoopConfig {
    Objects.requireNonNull(info, "info");
  }

  byte[] encode() {
    byte[] b = new byte[SIZE];
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    buf.putInt(OFF_FD, fd);
    buf.putInt(OFF_BLOCK_SIZE, blockSize);
    info.encodeInto(buf, OFF_INFO);
    return b;
  }
}
