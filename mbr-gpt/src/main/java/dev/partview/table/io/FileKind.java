package dev.partview.table.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a path is when it cannot be an image, i.e. neither a regular file nor a block device:
 * checked before an image is opened, because a FIFO's open waits for a writer (for ever, for {@code
 * <(…)} already drained) and a character device such as /dev/null or /dev/zero would pass for an
 * empty or endless image.
 */
public final class FileKind {
  private FileKind() {}

  private static final int S_IFMT = 0170000;

  /**
   * Why {@code path} is refused as an image, as every command says it, e.g. {@code "disk.img: not a
   * regular file or block device (a FIFO); partview reads disk images"}; empty for an image.
   *
   * @throws IOException when the path cannot be stat-ed (e.g. it does not exist)
   */
  public static Optional<String> refusal(Path path) throws IOException {
    return notAnImage(path)
        .map(
            kind ->
                path
                    + ": not a regular file or block device ("
                    + kind
                    + "); partview reads disk images");
  }

  /**
   * Empty for a regular file or a block device (symlinks followed); else what it is, e.g. {@code "a
   * FIFO"}.
   *
   * @throws IOException when the path cannot be stat-ed (e.g. it does not exist)
   */
  public static Optional<String> notAnImage(Path path) throws IOException {
    if (Files.isRegularFile(path)) return Optional.empty();
    int mode = (Integer) Files.getAttribute(path, "unix:mode");
    return switch (mode & S_IFMT) {
      case 0060000 -> Optional.empty(); // a block device
      case 0040000 -> Optional.of("a directory");
      case 0010000 -> Optional.of("a FIFO");
      case 0020000 -> Optional.of("a character device");
      case 0140000 -> Optional.of("a socket");
      default -> Optional.of("not a file");
    };
  }
}
