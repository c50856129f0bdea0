package dev.partview.fuse;

import java.io.IOException;
import java.util.Objects;

/**
 * A mount or unmount that cannot go ahead, with the reason class the CLI turns into an exit code.
 */
public final class MountException extends IOException {
  private static final long serialVersionUID = 1L;

  public enum Reason {
    /** The command line asked for something impossible: no such folder, not empty, bad view. */
    USAGE,
    /** Something is missing: /dev/fuse, libfuse2, fusermount, permission. */
    ENVIRONMENT,
    /** Something holds the mount (a loop device, a process, a mount on top). */
    BUSY,
    /** Anything else: libfuse refused, the daemon died, a timeout. */
    FAILED
  }

  private final Reason reason;

  public MountException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public MountException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
