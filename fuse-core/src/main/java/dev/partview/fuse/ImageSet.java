package dev.partview.fuse;

import dev.partview.table.Diagnostic;
import dev.partview.table.PartitionTable;
import dev.partview.table.PartitionTableException;
import dev.partview.table.PartitionTableReader;
import dev.partview.table.ReadOptions;
import dev.partview.table.SectorSize;
import dev.partview.table.io.FileChannelSource;
import dev.partview.table.io.FileKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The images of one mount, opened and with their tables read; closing the set closes every channel.
 * Read-only mounts open the images read-only, so not even a bug can write to them.
 */
public final class ImageSet implements AutoCloseable {
  private final List<Image> images;
  private final List<String> notes;

  private ImageSet(List<Image> images, List<String> notes) {
    this.images = List.copyOf(images);
    this.notes = List.copyOf(notes);
  }

  /**
   * Opens each image and reads its partition table. An image without a table is still served (as
   * {@code disk} and {@code offset/}); a corrupt one is an error.
   *
   * @param probeLabels read each partition's filesystem label (libblkid) for by-label/: for the
   *     mount itself, not for the launcher's check
   * @throws ImageException naming the image, for a table that is corrupt, truncated or unsupported
   * @throws IOException when an image cannot be opened (NoSuchFileException, AccessDenied…)
   */
  public static ImageSet open(
      List<Path> paths, boolean writable, ReadOptions opts, boolean probeLabels)
      throws IOException {
    List<Image> images = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    try {
      for (Path p : paths) images.add(openOne(p, writable, opts, probeLabels, notes));
    } catch (IOException | RuntimeException e) {
      for (Image i : images) closeQuietly(i.channel());
      throw e;
    }
    return new ImageSet(images, notes);
  }

  private static Image openOne(
      Path given, boolean writable, ReadOptions opts, boolean probeLabels, List<String> notes)
      throws IOException {
    // Before resolving: <(…) is /dev/fd/N, a link to "pipe:[…]", which resolves to nothing.
    if (Files.isDirectory(given)) {
      throw new ImageException(given + ": is a directory, not an image");
    }
    Optional<String> refusal = FileKind.refusal(given);
    if (refusal.isPresent()) throw new ImageException(refusal.get());
    Path path = given.toRealPath();
    FileChannel ch =
        writable
            ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = ch.size();
      PartitionTable table = null;
      int sectorSize = opts.sectorSizeGiven() ? opts.sectorSize() : SectorSize.DEFAULT;
      try {
        table = PartitionTableReader.read(FileChannelSource.wrap(ch), opts);
        sectorSize = table.sectorSize().bytes();
        // What list warns of, the mount does too: a partition cut at the end of a truncated
        // image is served cut (or empty), the backup GPT header used, overlaps.
        for (Diagnostic d : table.diagnostics()) {
          // "warning:" whatever the severity, as attach says it: the mount goes ahead
          notes.add(Names.forTerminal("warning: " + path + ": " + d.located()));
        }
      } catch (PartitionTableException e) {
        if (e.kind() != PartitionTableException.Kind.NO_TABLE) {
          throw new ImageException(path + ": " + e.getMessage(), e);
        }
        notes.add(path + " has no partition table: serving disk and offset/ only");
      }
      PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class);
      return new Image(
          given.getFileName().toString(), // the name the user gave, not a symlink's target's
          path,
          ch,
          size,
          table,
          sectorSize,
          permissionBits(attrs.permissions()),
          attrs.lastModifiedTime().toMillis() / 1000,
          attrs.fileKey(),
          probeLabels && table != null ? labels(path, table, notes) : Map.of());
    } catch (IOException | RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static Map<Integer, String> labels(Path path, PartitionTable table, List<String> notes) {
    int n = table.dataPartitions().size();
    if (n > FilesystemLabels.MAX_PROBED) {
      notes.add(
          path
              + ": filesystem labels are linked in by-label/ for the first "
              + FilesystemLabels.MAX_PROBED
              + " of its "
              + n
              + " partitions");
    }
    return FilesystemLabels.of(path, table);
  }

  static int permissionBits(Set<PosixFilePermission> perms) {
    int bits = 0;
    for (PosixFilePermission p : perms) {
      // The enum runs OWNER_READ … OTHERS_EXECUTE, i.e. from bit 8 down to bit 0.
      bits |= 1 << (8 - p.ordinal());
    }
    return bits;
  }

  public List<Image> images() {
    return images;
  }

  /** Things to tell the user at mount time (images without a table, the tables' diagnostics). */
  public List<String> notes() {
    return notes;
  }

  @Override
  public void close() {
    for (Image i : images) closeQuietly(i.channel());
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // Closing a channel we only read from or have forced reports nothing worth failing for.
    }
  }

  /** An image that cannot be served: its table is corrupt, truncated or of an unsupported kind. */
  public static final class ImageException extends IOException {
    private static final long serialVersionUID = 1L;

    public ImageException(String message) {
      super(message);
    }

    public ImageException(String message, PartitionTableException cause) {
      super(message, cause);
    }

    /** The table error behind this, if any (its kind decides the exit code). */
    public PartitionTableException tableError() {
      return getCause() instanceof PartitionTableException p ? p : null;
    }
  }
}
