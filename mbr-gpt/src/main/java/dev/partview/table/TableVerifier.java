package dev.partview.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The verify phase: what is wrong with a table as a whole, as diagnostics. Partitions that overlap
 * one another and partitions that end beyond the end of the image (a truncated image, or a table
 * copied from a larger disk). Logical partitions inside their extended container are not overlaps.
 */
final class TableVerifier {
  /** A hostile table of thousands of identical entries would otherwise yield millions of pairs. */
  private static final int MAX_FOUND = 1000;

  private TableVerifier() {}

  static PartitionTable verify(PartitionTable t) {
    List<Diagnostic> found = new ArrayList<>();
    long imageSize = t.imageSize();
    List<Partition> data = new ArrayList<>(t.dataPartitions());
    for (Partition p : t.partitions()) {
      if (p.size() > 0 && p.start() + p.size() > imageSize) {
        found.add(
            Diagnostic.warning(
                p.start(),
                p.name()
                    + " (bytes "
                    + p.start()
                    + ".."
                    + p.end()
                    + ") ends beyond the end of the image ("
                    + imageSize
                    + " bytes)"));
      }
    }
    data.sort(Comparator.comparingLong(Partition::start));
    // Sorted by start, each partition can only overlap those after it that start before it ends.
    for (int i = 0; i < data.size() && found.size() < MAX_FOUND; i++) {
      Partition a = data.get(i);
      for (int j = i + 1;
          j < data.size() && data.get(j).start() < a.start() + a.size() && found.size() < MAX_FOUND;
          j++) {
        Partition b = data.get(j);
        if (b.size() > 0 && a.size() > 0) {
          found.add(Diagnostic.warning(b.start(), a.name() + " and " + b.name() + " overlap"));
        }
      }
    }
    return found.isEmpty() ? t : PartitionTableReader.withDiagnostics(t, found);
  }
}
