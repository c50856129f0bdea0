package dev.partview.cli;

/** The exit codes of the stable CLI surface (DESIGN.md). */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int OK = 0;

  /** Something failed at run time (I/O error, unmount refused, ...). */
  public static final int RUNTIME = 1;

  /** The command line was wrong. */
  public static final int USAGE = 2;

  /** The image has no readable or valid partition table, or is corrupt. */
  public static final int BAD_TABLE = 3;

  /** The environment is missing something: /dev/fuse, permission, a free loop device. */
  public static final int ENVIRONMENT = 4;

  /**
   * Standard output's reader went away ({@code | head}): no message, and the status of a process
   * SIGPIPE ended (128 + 13), as cat and dd end in a shell. The JVM ignores SIGPIPE, so partview
   * sees EPIPE instead and ends the same way itself.
   */
  public static final int BROKEN_PIPE = 141;
}
