package dev.partview.fuse;

import java.io.IOException;
import java.util.Objects;

/**
 * A filesystem call failed with a specific errno: the core's one exception besides plain I/O errors
 * (which the adapter answers with EIO). The message says why, for logs and tests, e.g. {@code
 * "EFBIG: /p2: write at 67108864 is at or past the end (size 67108864)"}.
 */
public final class FsException extends IOException {
  private static final long serialVersionUID = 1L;
  private final Errno errno;

  public FsException(Errno errno, String path, String detail) {
    super(errno.name() + ": " + path + (detail.isEmpty() ? "" : ": " + detail));
    this.errno = Objects.requireNonNull(errno, "errno");
  }

  public Errno errno() {
    return errno;
  }

  static FsException noEntry(String path) {
    return new FsException(Errno.ENOENT, path, "");
  }
}
