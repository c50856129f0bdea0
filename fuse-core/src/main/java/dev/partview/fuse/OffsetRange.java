package dev.partview.fuse;

import dev.partview.table.ByteSizes;
import java.util.Optional;

/**
 * {@code OFFSET[:LENGTH]} as typed in {@code offset/63s:1M} and {@code --view NAME=32256:100M}:
 * bytes or {@code s} (sectors), {@code K/M/G/T}.
 *
 * @param length bytes, or {@link #TO_END}
 */
public record OffsetRange(long offset, long length) {
  public static final long TO_END = -1;

  public OffsetRange {
    if (offset < 0) throw new IllegalArgumentException("negative offset: " + offset);
    if (length < 0 && length != TO_END) throw new IllegalArgumentException("negative length");
  }

  /**
   * @param sectorSize what {@code s} means: the image's sector size
   * @throws IllegalArgumentException naming the text when it is not {@code OFFSET[:LENGTH]}
   */
  public static OffsetRange parse(String text, int sectorSize) {
    int colon = text.indexOf(':');
    String off = colon < 0 ? text : text.substring(0, colon);
    long offset = ByteSizes.parse(off, sectorSize);
    if (colon < 0) return new OffsetRange(offset, TO_END);
    long length = ByteSizes.parse(text.substring(colon + 1), sectorSize);
    if (length == 0) throw new IllegalArgumentException("zero length in '" + text + "'");
    return new OffsetRange(offset, length);
  }

  /**
   * The window this range names in {@code image}: empty when the offset is at or past the end of
   * the image (there is nothing to show); a length reaching past the end is cut at the end, as
   * losetup does with a size limit beyond the end of the file.
   */
  public Optional<Window> in(Image image) {
    if (offset >= image.size()) return Optional.empty();
    long available = image.size() - offset;
    long len = length == TO_END ? available : Math.min(length, available);
    return Optional.of(new Window(image, offset, len));
  }

  /** Whether {@link #in} had to shorten the length for this image. */
  public boolean clampedIn(Image image) {
    return length != TO_END && offset < image.size() && length > image.size() - offset;
  }
}
