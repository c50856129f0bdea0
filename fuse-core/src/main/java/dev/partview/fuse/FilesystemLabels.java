package dev.partview.fuse;

import dev.partview.fuse.probe.Filesystem;
import dev.partview.fuse.probe.FilesystemProbe;
import dev.partview.table.Partition;
import dev.partview.table.PartitionTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The filesystem labels of an image's partitions, read once at mount time for by-label/, and for a
 * {@code label:NAME} that no GPT name matches (libblkid, the same probe as {@code partview list}).
 * A convenience, never a reason to fail: without libblkid, or where a partition holds nothing
 * libblkid recognises (or two signatures at once), there is no link.
 */
public final class FilesystemLabels {
  private FilesystemLabels() {}

  /**
   * How many partitions are probed at most: a table may hold 32768, and the mount has to answer
   * within the launcher's timeout.
   */
  static final int MAX_PROBED = 256;

  /** The non-empty labels, by partition number, of the first {@link #MAX_PROBED} partitions. */
  static Map<Integer, String> of(Path image, PartitionTable table) {
    return of(image, table, MAX_PROBED);
  }

  /**
   * The non-empty labels, by partition number, of the first {@code max} data partitions (a command
   * looking for one label has no launcher's timeout to keep, and reads them all).
   */
  public static Map<Integer, String> of(Path image, PartitionTable table, int max) {
    if (!FilesystemProbe.available()) return Map.of();
    Map<Integer, String> labels = new HashMap<>();
    try (FilesystemProbe probe = FilesystemProbe.open(image)) {
      List<Partition> parts = table.dataPartitions();
      for (Partition p : parts.subList(0, Math.min(parts.size(), max))) {
        try {
          probe
              .probe(p.start(), p.size(), table.sectorSize().bytes())
              .map(Filesystem::label)
              .filter(label -> !label.isEmpty())
              .ifPresent(label -> labels.put(p.number(), label));
        } catch (IOException e) {
          // ambivalent or unreadable: no link for this one
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return labels;
  }
}
