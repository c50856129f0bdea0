package dev.partview.table.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a path is when it is not a regular file: checked before an image is opened, because a FIFO's
 * open waits for a writer (for ever, for {@code <(…)} already drained) and a device's size reads as
 * 0 bytes through a FileChannel, which would pass for an empty image.
 */
public final class FileKind {
  private FileKind() {}

  private static final int S_IFMT = 0170000;

  /**
   * Empty for a regular file (symlinks followed); else what it is, e.g. {@code "a FIFO"}, for a
   * message such as {@code "disk.img: not a regular file (a FIFO)"}.
   *
   * @throws IOException when the path cannot be stat-ed (e.g. it does not exist)
   */
  public static Optional<String> notRegular(Path path) throws IOException {
    if (Files.isRegularFile(path)) return Optional.empty();
    int mode = (Integer) Files.getAttribute(path, "unix:mode");
    return Optional.of(
        switch (mode & S_IFMT) {
          case 0040000 -> "a directory";
          case 0010000 -> "a FIFO";
          case 0060000 -> "a block device";
          case 0020000 -> "a character device";
          case 0140000 -> "a socket";
          default -> "not a file";
        });
  }
}
