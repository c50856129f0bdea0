package dev.partview.fuse.loop;

import static dev.partview.fuse.loop.LoopAbi.LO_FLAGS_AUTOCLEAR;

import dev.partview.fuse.sys.ErrnoException;
import dev.partview.fuse.sys.LibC;
import dev.partview.fuse.sys.Sys;
import jnr.constants.platform.Errno;
import jnr.ffi.Pointer;

/**
 * An open descriptor on {@code /dev/loopN}. Closing it detaches nothing by itself, except that the
 * kernel frees a device with AUTOCLEAR at its last close: {@link LoopAttacher} relies on exactly
 * that to make a setup that dies half-way leave nothing behind.
 */
public final class LoopDevice implements AutoCloseable {
  /** util-linux: up to 16 tries, 25 ms apart, while devtmpfs/udev creates or fixes the node. */
  private static final int OPEN_TRIES = 16;

  private static final long OPEN_RETRY_MS = 25;

  /** util-linux {@code repeat_on_eagain}: the kernel asks again while it drops the page cache. */
  private static final int EAGAIN_TRIES = 10;

  private static final long EAGAIN_RETRY_MS = 250;

  private final int number;
  private final String path;
  private final boolean writable;
  private int fd;

  private LoopDevice(int number, int fd, boolean writable) {
    this.number = number;
    this.path = "/dev/loop" + number;
    this.fd = fd;
    this.writable = writable;
  }

  /**
   * Opens {@code /dev/loopN} for reading and writing, or read-only when the node allows no more (as
   * losetup does). Without CAP_SYS_ADMIN the kernel takes LOOP_SET_STATUS64 (offset, size limit,
   * AUTOCLEAR) only through a descriptor open for writing: a user given the loop devices (group
   * {@code disk}) could configure a device through a read-only one and then not finish.
   * LOOP_CONFIGURE, LOOP_CLR_FD and the status reads work either way.
   */
  public static LoopDevice open(int number) throws ErrnoException {
    String path = "/dev/loop" + number;
    for (int attempt = 1; ; attempt++) {
      try {
        try {
          return new LoopDevice(number, Sys.open(path, LibC.O_RDWR), true);
        } catch (ErrnoException e) {
          if (!e.is(Errno.EACCES) && !e.is(Errno.EROFS)) throw e;
          return new LoopDevice(number, Sys.open(path, LibC.O_RDONLY), false);
        }
      } catch (ErrnoException e) {
        boolean transientError = e.is(Errno.ENOENT) || e.is(Errno.EACCES);
        if (!transientError || attempt >= OPEN_TRIES) throw e;
        sleep(OPEN_RETRY_MS);
      }
    }
  }

  /** Open for writing: the kernel takes every loop ioctl through it. */
  boolean writable() {
    return writable;
  }

  public int number() {
    return number;
  }

  /** {@code /dev/loopN}. */
  public String path() {
    return path;
  }

  int fd() {
    if (fd < 0) throw new IllegalStateException(path + " is closed");
    return fd;
  }

  /** LOOP_GET_STATUS64. Stats the backing file: call it only on devices partview is working on. */
  public LoopInfo64 status() throws ErrnoException {
    byte[] b = new byte[LoopInfo64.SIZE];
    Sys.ioctl(fd(), LoopAbi.LOOP_GET_STATUS64, b, "LOOP_GET_STATUS64", path);
    return LoopInfo64.decode(b);
  }

  /** LOOP_SET_STATUS64, repeated while the kernel answers EAGAIN. */
  void setStatus(LoopInfo64 info) throws ErrnoException {
    byte[] b = info.encode();
    repeatOnEagain(() -> Sys.ioctl(fd(), LoopAbi.LOOP_SET_STATUS64, b, "LOOP_SET_STATUS64", path));
  }

  /**
   * LOOP_SET_BLOCK_SIZE (the legacy path; LOOP_CONFIGURE takes it in its struct), repeated while
   * the kernel answers EAGAIN (it could not drop the device's page cache yet).
   */
  void setBlockSize(int bytes) throws ErrnoException {
    repeatOnEagain(
        () -> Sys.ioctl(fd(), LoopAbi.LOOP_SET_BLOCK_SIZE, bytes, "LOOP_SET_BLOCK_SIZE", path));
  }

  @FunctionalInterface
  private interface Ioctl {
    void call() throws ErrnoException;
  }

  private static void repeatOnEagain(Ioctl ioctl) throws ErrnoException {
    for (int attempt = 1; ; attempt++) {
      try {
        ioctl.call();
        return;
      } catch (ErrnoException e) {
        if (!e.is(Errno.EAGAIN) || attempt >= EAGAIN_TRIES) throw e;
        sleep(EAGAIN_RETRY_MS);
      }
    }
  }

  /**
   * Sets or clears AUTOCLEAR, keeping everything else (LOOP_SET_STATUS64 rewrites offset, size
   * limit and name, so they are read first). With AUTOCLEAR the kernel detaches the device at its
   * last close; that is why a plain attach clears it before the process exits.
   *
   * @return whether the flag changed
   */
  public boolean setAutoclear(boolean on) throws ErrnoException {
    LoopInfo64 info = status();
    int flags = on ? info.flags() | LO_FLAGS_AUTOCLEAR : info.flags() & ~LO_FLAGS_AUTOCLEAR;
    if (flags == info.flags()) return false;
    setStatus(info.withFlags(flags));
    return true;
  }

  /**
   * LOOP_CLR_FD. If others still hold the device (a mount, a partition that is open), the kernel
   * only sets AUTOCLEAR and the detach happens at their last close.
   */
  public void clear() throws ErrnoException {
    Sys.ioctl(fd(), LoopAbi.LOOP_CLR_FD, 0L, "LOOP_CLR_FD", path);
  }

  /** BLKPG_ADD_PARTITION: creates {@code loopNp<number>} (needs LO_FLAGS_PARTSCAN). */
  void addPartition(BlkpgPartition part) throws ErrnoException {
    byte[] data = part.encode();
    Pointer dataMem = Sys.allocate(data.length);
    dataMem.put(0, data, 0, data.length);
    byte[] arg = BlkpgPartition.encodeArg(LoopAbi.BLKPG_ADD_PARTITION, dataMem.address());
    Pointer argMem = Sys.allocate(arg.length);
    argMem.put(0, arg, 0, arg.length);
    Sys.ioctl(fd(), LoopAbi.BLKPG, argMem, "BLKPG_ADD_PARTITION", path + "p" + part.number());
  }

  /**
   * Closes the descriptor; the device stays attached unless it has AUTOCLEAR and this was the last.
   */
  @Override
  public void close() {
    Sys.close(fd);
    fd = -1;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
