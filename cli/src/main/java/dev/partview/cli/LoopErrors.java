package dev.partview.cli;

import dev.partview.fuse.sys.ErrnoException;
import jnr.constants.platform.Errno;

/** Which loop-device failures are the environment's (exit 4) rather than a runtime failure. */
final class LoopErrors {
  private LoopErrors() {}

  static CliException toCli(ErrnoException e) {
    return new CliException(exitCode(e), e.getMessage(), e);
  }

  /**
   * Exit 4 for: no permission anywhere (not root), no loop driver or device node, no free device
   * (ENOSPC, or EBUSY/EAGAIN left after every retry). Anything else is a runtime failure, BLKPG's
   * EBUSY too: there it means a partition in the way on the device, not a device in use.
   */
  static int exitCode(ErrnoException e) {
    if (e.is(Errno.EACCES) || e.is(Errno.EPERM)) return ExitCodes.ENVIRONMENT;
    boolean loopNode = e.target().startsWith("/dev/loop") && !e.call().startsWith("BLKPG");
    if (loopNode
        && (e.is(Errno.ENOENT)
            || e.is(Errno.ENODEV)
            || e.is(Errno.ENOSPC)
            || e.is(Errno.EBUSY)
            || e.is(Errno.EAGAIN))) {
      return ExitCodes.ENVIRONMENT;
    }
    return ExitCodes.RUNTIME;
  }
}
