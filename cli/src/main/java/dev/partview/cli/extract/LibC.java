package dev.partview.cli.extract;

import jnr.ffi.annotations.SaveError;

/**
 * The few libc calls extraction needs that the JDK does not offer: {@code lseek} with {@code
 * SEEK_DATA}/{@code SEEK_HOLE} to find the holes of a sparse image. Kept private to this package:
 * fuse-core's {@code dev.partview.fuse.sys} binding was not on main when this was written, and cli
 * should not depend on a FUSE-side class just for one call.
 */
public interface LibC {
  /** {@code lseek(2)} whence: the next offset holding data ({@code ENXIO} past the last). */
  int SEEK_DATA = 3;

  /** {@code lseek(2)} whence: the next hole (every file ends with an implicit one). */
  int SEEK_HOLE = 4;

  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;

  /** errno: no data at or after the offset. */
  int ENXIO = 6;

  @SaveError
  int open(String path, int flags);

  @SaveError
  long lseek(int fd, long offset, int whence);

  int close(int fd);
}
