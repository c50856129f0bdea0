package dev.partview.cli.extract;

import java.io.IOException;

/** Reading the image or writing the output failed at a byte offset. */
public final class RangeIOException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long offset;

  private RangeIOException(String message, long offset, Throwable cause) {
    super(message, cause);
    this.offset = offset;
  }

  static RangeIOException read(long imageOffset, IOException cause) {
    return new RangeIOException(
        "read error at image byte " + imageOffset + ": " + reason(cause), imageOffset, cause);
  }

  static RangeIOException shortImage(long imageOffset, long rangeEnd) {
    return shortImage(imageOffset, rangeEnd, null);
  }

  /**
   * @param cause what showed it (SIGBUS from a mapping, EFAULT, a failed mapping), or null
   */
  static RangeIOException shortImage(long imageOffset, long rangeEnd, Throwable cause) {
    return new RangeIOException(
        "the image ends at byte "
            + imageOffset
            + ", before the end of the range at byte "
            + rangeEnd
            + " (was it truncated while extracting?)",
        imageOffset,
        cause);
  }

  static RangeIOException write(long outputOffset, IOException cause) {
    return new RangeIOException(
        "write error at output byte " + outputOffset + ": " + reason(cause), outputOffset, cause);
  }

  /** The byte offset (in the image for reads, in the output for writes) where it failed. */
  public long offset() {
    return offset;
  }

  private static String reason(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
