package dev.partview.table;

import java.util.Objects;

/**
 * Something odd about a table that did not stop it from being read: an overlap, a partition past
 * the end of the image, an EBR chain cut, a hybrid MBR, a backup GPT header used.
 *
 * @param offset the byte offset in the image of the structure concerned
 */
public record Diagnostic(Severity severity, long offset, String message) {

  public enum Severity {
    WARNING,
    ERROR;

    public String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
  }

  /** The message with its byte offset, as every command prints it: {@code … (offset N)}. */
  public String located() {
    return message + " (offset " + offset + ")";
  }

  public static Diagnostic warning(long offset, String message) {
    return new Diagnostic(Severity.WARNING, offset, message);
  }

  public static Diagnostic error(long offset, String message) {
    return new Diagnostic(Severity.ERROR, offset, message);
  }
}
