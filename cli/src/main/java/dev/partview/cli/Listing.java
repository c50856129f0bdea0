package dev.partview.cli;

import dev.partview.fuse.probe.Filesystem;
import dev.partview.table.PartitionTable;
import dev.partview.table.PartitionTableException;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code partview list} shows about one image, gathered once and then rendered as text
 * ({@link ListingText}) or JSON ({@link ListingJson}).
 *
 * @param image the image as the user named it
 * @param size the image size in bytes
 * @param table the partition table, or null when none could be read
 * @param failure why there is no table (non-null exactly when {@code table} is null)
 * @param sectorSizeOption {@code --sector-size}, or null
 * @param probe how filesystems were probed, e.g. {@code "libblkid 2.38.1"}, or null when libblkid
 *     is unavailable (then no filesystem is known)
 * @param wholeImage what libblkid finds at the start of the whole image, or null
 * @param filesystems by partition number, for the partitions where something was found
 * @param probeErrors by partition number, where probing failed (e.g. two signatures in one range)
 */
record Listing(
    String image,
    long size,
    PartitionTable table,
    PartitionTableException failure,
    Integer sectorSizeOption,
    String probe,
    Filesystem wholeImage,
    Map<Integer, Filesystem> filesystems,
    Map<Integer, String> probeErrors) {

  Listing {
    if ((table == null) == (failure == null)) {
      throw new IllegalArgumentException("a listing has either a table or a failure");
    }
    filesystems = Map.copyOf(filesystems);
    probeErrors = Map.copyOf(probeErrors);
  }

  boolean probed() {
    return probe != null;
  }

  Optional<Filesystem> filesystem(int partitionNumber) {
    return Optional.ofNullable(filesystems.get(partitionNumber));
  }
}
