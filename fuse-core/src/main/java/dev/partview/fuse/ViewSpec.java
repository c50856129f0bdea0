package dev.partview.fuse;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code --view NAME=OFFSET[:LENGTH]}: a named file at the top of an image's folder. The range
 * stays text until an image is known, because {@code s} means that image's sector size.
 */
public record ViewSpec(String name, String range) {

  /** Names the layout already uses at the top of an image folder. */
  static final Set<String> RESERVED = Set.of("disk", "offset", "by-label", "by-partuuid");

  private static final Pattern PARTITION_NAME = Pattern.compile("p[0-9]+");

  public ViewSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(range, "range");
    checkName(name);
    OffsetRange.parse(range, 512); // syntax only; the real sector size comes with the image
  }

  /**
   * @throws IllegalArgumentException with a message that names the option, e.g. {@code "--view
   *     'p1=0': name 'p1' is reserved for partition files (p1, p2, p5, ...)"}
   */
  public static ViewSpec parse(String text) {
    int eq = text.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException(
          "--view '" + text + "': expected NAME=OFFSET[:LENGTH], e.g. efi=2048s:100M");
    }
    try {
      return new ViewSpec(text.substring(0, eq), text.substring(eq + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--view '" + text + "': " + e.getMessage(), e);
    }
  }

  private static void checkName(String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("a view needs a file name");
    }
    if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("name '" + name + "' may not contain '/'");
    }
    if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("name '" + name + "' is longer than 255 bytes");
    }
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException("name '" + name + "' is taken by the layout");
    }
    if (PARTITION_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name '" + name + "' is reserved for partition files (p1, p2, p5, ...)");
    }
  }

  /**
   * The window in {@code image}.
   *
   * @throws IllegalArgumentException when the offset is at or past the end of the image
   */
  public Window resolve(Image image) {
    OffsetRange r = OffsetRange.parse(range, image.sectorSize());
    return r.in(image)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--view "
                        + name
                        + "="
                        + range
                        + ": offset "
                        + r.offset()
                        + " is at or past the end of "
                        + image.path()
                        + " ("
                        + image.size()
                        + " bytes)"));
  }
}
