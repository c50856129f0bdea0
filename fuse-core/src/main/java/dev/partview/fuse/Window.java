package dev.partview.fuse;

import java.util.Objects;

/**
 * A byte range of an image that appears as a file: a partition, the whole disk, an offset view.
 * Always inside the image: {@code start + length <= image.size()}.
 */
public record Window(Image image, long start, long length) {

  public Window {
    Objects.requireNonNull(image, "image");
    if (start < 0 || length < 0 || start > image.size() || length > image.size() - start) {
      throw new IllegalArgumentException(
          "window "
              + start
              + "+"
              + length
              + " is outside "
              + image.path()
              + " (size "
              + image.size()
              + ")");
    }
  }

  /**
   * The part of {@code [start, start + length)} that lies inside the image: partitions that cross
   * the end of a truncated image become shorter files, as a loop device with that size limit would.
   */
  public static Window clamped(Image image, long start, long length) {
    long s = Math.min(Math.max(start, 0), image.size());
    long l = Math.min(Math.max(length, 0), image.size() - s);
    return new Window(image, s, l);
  }
}
