package dev.partview.fuse;

import dev.partview.fuse.sys.Sys;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a mount point whether its FUSE daemon answers (with statfs, which FUSE never serves from a
 * cache: a stat of the mount point can succeed on a dead mount), without ever blocking on a hung
 * daemon: the question runs on a daemon thread that is abandoned after the timeout (a thread stuck
 * in a FUSE request still dies with the process).
 */
public final class MountProbe {
  private MountProbe() {}

  public enum State {
    /** The daemon answered (or the kernel answered for it, e.g. EACCES without allow_other). */
    ALIVE,
    /** ENOTCONN (or ECONNABORTED): the daemon is gone; the mount stays until unmounted. */
    DEAD,
    /** No answer within the timeout. */
    HUNG,
    /**
     * Another filesystem answered: the FUSE mount was removed after the caller saw it listed (e.g.
     * libfuse undoing a mount it could not finish).
     */
    GONE
  }

  private static final int ENOTCONN = Errno.ENOTCONN.value();

  /** What requests caught in flight when the daemon died get, instead of ENOTCONN. */
  private static final int ECONNABORTED = Errno.ECONNABORTED.value();

  public static State probe(String target, Duration timeout) throws InterruptedException {
    CompletableFuture<Long> answer = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                answer.complete(Sys.statfs(target));
              } catch (Throwable e) {
                answer.completeExceptionally(e);
              }
            },
            "partview-probe");
    t.setDaemon(true);
    t.start();
    try {
      long r = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS); // f_type or -errno
      if (r == -ENOTCONN || r == -ECONNABORTED) return State.DEAD;
      return r < 0 || r == Sys.FUSE_SUPER_MAGIC ? State.ALIVE : State.GONE;
    } catch (TimeoutException e) {
      return State.HUNG;
    } catch (ExecutionException e) {
      throw new IllegalStateException("probing " + target + ": " + e.getCause(), e.getCause());
    }
  }
}
