package dev.partview.fuse.sys;

import java.io.IOException;
import java.util.Objects;
import jnr.constants.platform.Errno;

/**
 * A libc call failed. The message names the call, what it was applied to and the errno by its
 * symbolic name, e.g. {@code "LOOP_CONFIGURE on /dev/loop3: EBUSY (Device or resource busy)"}.
 */
public final class ErrnoException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String call;
  private final String target;
  private final int errno;

  public ErrnoException(String call, String target, int errno) {
    this(call, target, errno, null);
  }

  /**
   * @param hint appended in parentheses to the message, e.g. {@code "loop devices need root"}; may
   *     be {@code null}
   */
  public ErrnoException(String call, String target, int errno, String hint) {
    super(message(call, target, errno, hint));
    this.call = Objects.requireNonNull(call, "call");
    this.target = Objects.requireNonNull(target, "target");
    this.errno = errno;
  }

  private static String message(String call, String target, int errno, String hint) {
    String sep = call.startsWith("LOOP_") || call.startsWith("BLK") ? " on " : " ";
    return call + sep + target + ": " + describe(errno) + (hint == null ? "" : " (" + hint + ")");
  }

  /** {@code "EBUSY (Device or resource busy)"}, or {@code "errno 4242"} for unknown values. */
  public static String describe(int errno) {
    Errno e = Errno.valueOf(errno);
    if (!e.defined()) return "errno " + errno;
    return e.name() + " (" + e.description() + ")";
  }

  /** The call that failed: {@code "open"} or an ioctl name such as {@code "LOOP_CONFIGURE"}. */
  public String call() {
    return call;
  }

  /** The path or device the call was made on. */
  public String target() {
    return target;
  }

  public int errno() {
    return errno;
  }

  public boolean is(Errno e) {
    return e.defined() && e.intValue() == errno;
  }

  /** The same failure with a hint for the user appended. */
  public ErrnoException withHint(String hint) {
    ErrnoException e = new ErrnoException(call, target, errno, hint);
    e.initCause(this);
    return e;
  }
}
