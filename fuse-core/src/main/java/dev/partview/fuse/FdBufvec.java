package dev.partview.fuse;

import com.kenai.jffi.MemoryIO;
import ru.serce.jnrfuse.flags.FuseBufFlags;

/**
 * A libfuse 2.9 {@code struct fuse_bufvec} with one buffer that is not memory but "this many bytes
 * of descriptor {@code fd} at {@code pos}": the answer of {@code read_buf}. libfuse then moves the
 * bytes itself. With the {@code splice_write} mount option it splices reads of two pages or more
 * (the kernel asks for up to 128 KiB) from the image's page cache into /dev/fuse through a pipe of
 * its own per thread: one copy, in the kernel, instead of a pread into a buffer and a write of that
 * buffer to the kernel. Smaller reads, or a kernel that cannot splice, take libfuse's fallback: it
 * preads into a buffer of its own, as before.
 *
 * <p>Written at fixed offsets (x86-64 and the other LP64 ABIs) instead of through jnr-fuse's {@code
 * FuseBufvec}, which allocates a dozen field objects per request; {@code FdBufvecTest} reads the
 * result back through jnr-fuse's struct to check the layout.
 */
final class FdBufvec {
  private FdBufvec() {}

  /** The offsets below are those of LP64 (x86-64, arm64): 8-byte pointers and {@code long}s. */
  static boolean layoutHolds() {
    jnr.ffi.Runtime rt = jnr.ffi.Runtime.getSystemRuntime();
    return rt.addressSize() == 8 && rt.longSize() == 8;
  }

  // struct fuse_bufvec { size_t count; size_t idx; size_t off; struct fuse_buf buf[1]; }
  // struct fuse_buf { size_t size; enum fuse_buf_flags flags; void *mem; int fd; off_t pos; }
  static final int SIZE = 64;
  private static final int COUNT = 0;
  private static final int IDX = 8;
  private static final int OFF = 16;
  private static final int BUF_SIZE = 24;
  private static final int BUF_FLAGS = 32;
  private static final int BUF_MEM = 40;
  private static final int BUF_FD = 48;
  private static final int BUF_POS = 56;

  /** Read at {@code pos} (not at the descriptor's offset), and again after a short read. */
  private static final int FD_FLAGS =
      FuseBufFlags.FUSE_BUF_IS_FD.intValue()
          | FuseBufFlags.FUSE_BUF_FD_SEEK.intValue()
          | FuseBufFlags.FUSE_BUF_FD_RETRY.intValue();

  /**
   * A new vector in {@code malloc}ed memory: libfuse {@code free}s it once the reply is sent.
   *
   * @return its address
   * @throws OutOfMemoryError when malloc fails
   */
  static long allocate(int fd, long pos, int length) {
    MemoryIO io = MemoryIO.getInstance();
    long v = io.allocateMemory(SIZE, false);
    if (v == 0) throw new OutOfMemoryError("malloc of a fuse_bufvec failed");
    io.putLong(v + COUNT, 1);
    io.putLong(v + IDX, 0);
    io.putLong(v + OFF, 0);
    io.putLong(v + BUF_SIZE, length);
    io.putInt(v + BUF_FLAGS, FD_FLAGS);
    io.putAddress(v + BUF_MEM, 0);
    io.putInt(v + BUF_FD, fd);
    io.putLong(v + BUF_POS, pos);
    return v;
  }
}
