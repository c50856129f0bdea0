package dev.partview.cli;

import dev.partview.fuse.FilesystemLabels;
import dev.partview.fuse.probe.FilesystemProbe;
import dev.partview.table.PartitionTable;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The filesystem labels a {@code label:NAME} falls back to when no GPT name matches: read with
 * libblkid at the first such PART (never for numbers, UUIDs or GPT names, which cost no probe),
 * once for all PARTs of a command, and for every partition.
 */
final class FilesystemLabelsOnce implements Supplier<Map<Integer, String>> {
  private final Path image;
  private final PartitionTable table;
  private Map<Integer, String> labels;

  FilesystemLabelsOnce(Path image, PartitionTable table) {
    this.image = image;
    this.table = table;
  }

  /** No filesystem labels at all: {@code label:} then matches GPT names only. */
  static FilesystemLabelsOnce none() {
    FilesystemLabelsOnce none = new FilesystemLabelsOnce(null, null);
    none.labels = Map.of();
    return none;
  }

  @Override
  public Map<Integer, String> get() {
    if (labels == null) labels = FilesystemLabels.of(image, table, Integer.MAX_VALUE);
    return labels;
  }

  /**
   * What a "no partition label:NAME" needs added when the labels were looked for but could not be
   * read at all: without it the error would say no filesystem has the label.
   */
  String unreadNote() {
    if (labels == null || image == null || FilesystemProbe.available()) return "";
    return " (filesystem labels not read: "
        + FilesystemProbe.unavailableReason().orElse("no libblkid")
        + ")";
  }
}
