package dev.partview.cli;

/**
 * A failure a command reports as one line with a chosen exit code. Commands throw it; {@link Cli}
 * prints the message and exits with the code, never a stack trace unless {@code --verbose}.
 */
public final class CliException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
