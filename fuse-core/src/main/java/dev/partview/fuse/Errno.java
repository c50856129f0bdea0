package dev.partview.fuse;

/**
 * The Linux errno values the filesystem answers with. The FUSE adapter returns {@code -value()};
 * the core names them so that it needs no native constants (and its tests no libc).
 */
public enum Errno {
  EPERM(1),
  ENOENT(2),
  EIO(5),
  EBADF(9),
  EACCES(13),
  EBUSY(16),
  EEXIST(17),
  ENOTDIR(20),
  EISDIR(21),
  EINVAL(22),
  EFBIG(27),
  ENOSPC(28),
  EROFS(30),
  ENAMETOOLONG(36),
  ENOSYS(38),
  EOPNOTSUPP(95),
  ECONNABORTED(103),
  ENOTCONN(107),
  EDQUOT(122);

  private final int value;

  Errno(int value) {
    this.value = value;
  }

  /** The positive Linux errno number. */
  public int value() {
    return value;
  }

  /** The constant for a number a libc call returned; EIO for one the filesystem does not use. */
  public static Errno fromValue(int value) {
    for (Errno e : values()) if (e.value == value) return e;
    return EIO;
  }
}
