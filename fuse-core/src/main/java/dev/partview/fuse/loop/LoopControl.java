package dev.partview.fuse.loop;

import dev.partview.fuse.sys.ErrnoException;
import dev.partview.fuse.sys.LibC;
import dev.partview.fuse.sys.Sys;
import jnr.constants.platform.Errno;

/** {@code /dev/loop-control}: hands out free loop devices. */
final class LoopControl implements AutoCloseable {
  static final String PATH = "/dev/loop-control";

  private final int fd;

  private LoopControl(int fd) {
    this.fd = fd;
  }

  static LoopControl open() throws ErrnoException {
    try {
      return new LoopControl(Sys.open(PATH, LibC.O_RDWR));
    } catch (ErrnoException e) {
      if (e.is(Errno.ENOENT)) throw e.withHint("no loop driver: modprobe loop");
      if (e.is(Errno.EACCES) || e.is(Errno.EPERM)) throw e.withHint("loop devices need root");
      throw e;
    }
  }

  /** LOOP_CTL_GET_FREE: the number of a free device; the kernel creates one if none is free. */
  int getFree() throws ErrnoException {
    try {
      return Sys.ioctl(fd, LoopAbi.LOOP_CTL_GET_FREE, 0L, "LOOP_CTL_GET_FREE", PATH);
    } catch (ErrnoException e) {
      throw e.withHint("no free loop device");
    }
  }

  @Override
  public void close() {
    Sys.close(fd);
  }
}
