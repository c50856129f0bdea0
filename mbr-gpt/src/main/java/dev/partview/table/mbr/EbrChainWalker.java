package dev.partview.table.mbr;

import dev.partview.table.Diagnostic;
import dev.partview.table.Partition;
import dev.partview.table.PartitionKind;
import dev.partview.table.PartitionTableException;
import dev.partview.table.SectorSize;
import dev.partview.table.io.Block;
import dev.partview.table.io.ByteSource;
import dev.partview.table.io.Checked;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the chain of extended boot records. Each EBR is an MBR-shaped sector whose data entries
 * start relative to the EBR itself and whose link entry (an extended type) points to the next EBR
 * relative to the start of the first extended partition. As the kernel and libblkid do, every data
 * entry of an EBR is a logical partition, numbered 5, 6, … in chain order.
 *
 * <p>The walk is bounded: the next EBR must lie strictly after the current one and inside the
 * extended partition (so no cycle can form), and at most {@code maxLogicals} logicals are taken.
 * Where the chain is cut, a diagnostic says why and where.
 */
final class EbrChainWalker {
  /** EBRs without data entries tolerated beyond the logical cap (libblkid allows 100). */
  static final int MAX_EMPTY_EBRS = 128;

  private final ByteSource src;
  private final MbrEntry extended;
  private final SectorSize ss;
  private final int maxLogicals;
  private final List<Diagnostic> diags;

  EbrChainWalker(
      ByteSource src, MbrEntry extended, SectorSize ss, int maxLogicals, List<Diagnostic> diags) {
    this.src = src;
    this.extended = extended;
    this.ss = ss;
    this.maxLogicals = maxLogicals;
    this.diags = diags;
  }

  List<Partition> walk() throws IOException {
    List<Partition> logicals = new ArrayList<>();
    long extStart = extended.lbaStart();
    long extEnd = extStart + extended.sectors(); // exclusive; both are u32, no overflow
    long ebrLba = extStart;
    int number = 5;
    for (int index = 1; ; index++) {
      String structure = "EBR #" + index + " at LBA " + ebrLba;
      if (index > maxLogicals + MAX_EMPTY_EBRS) {
        // Links that advance one sector at a time through a 2 TiB extended partition would
        // otherwise mean billions of reads.
        diags.add(
            Diagnostic.error(
                ebrLba * ss.bytes(),
                structure
                    + ": chain longer than "
                    + (maxLogicals + MAX_EMPTY_EBRS)
                    + " EBRs; cut"));
        break;
      }
      long offset =
          Checked.multiply(ebrLba, ss.bytes(), structure, extended.offset(), "EBR offset");
      Block ebr;
      try {
        ebr = Block.read(src, structure, offset, ss.bytes());
      } catch (PartitionTableException e) {
        diags.add(
            Diagnostic.warning(offset, structure + ": beyond the end of the image; chain cut"));
        break;
      }
      if (!MbrReader.hasSignature(ebr)) {
        // An extended partition whose first sector is blank just has no logicals yet.
        if (index > 1 || !ebr.allZero(MbrEntry.TABLE_OFFSET, 66)) {
          diags.add(
              Diagnostic.warning(offset + 510, structure + ": no 0x55AA signature; chain cut"));
        }
        break;
      }
      MbrEntry link = null;
      for (int slot = 0; slot < 4; slot++) {
        MbrEntry e = MbrEntry.read(ebr, slot);
        if (e.isEmpty()) continue;
        if (e.isExtended()) {
          if (link == null) link = e;
          else
            diags.add(
                Diagnostic.warning(
                    e.offset(),
                    structure + ": extra link entry in slot " + (slot + 1) + " ignored"));
          continue;
        }
        if (e.sectors() == 0) continue; // an empty data entry, as the kernel skips it
        if (logicals.size() >= maxLogicals) {
          diags.add(
              Diagnostic.error(
                  e.offset(),
                  structure + ": more than " + maxLogicals + " logical partitions; chain cut"));
          return logicals;
        }
        Partition p =
            MbrReader.partition(number++, PartitionKind.LOGICAL, e, ebrLba, ss, structure);
        if (p.firstLba() + p.sectors() > extEnd || p.firstLba() <= ebrLba) {
          diags.add(
              Diagnostic.warning(
                  e.offset(), "p" + p.number() + " lies outside its extended partition"));
        }
        logicals.add(p);
      }
      if (link == null || link.lbaStart() == 0 && link.sectors() == 0) break;
      long next = extStart + link.lbaStart();
      if (next <= ebrLba) {
        diags.add(
            Diagnostic.error(
                link.offset(),
                structure + ": link to LBA " + next + " does not advance (cycle?); chain cut"));
        break;
      }
      if (next >= extEnd) {
        diags.add(
            Diagnostic.error(
                link.offset(),
                structure
                    + ": link to LBA "
                    + next
                    + " lies outside the extended partition; chain cut"));
        break;
      }
      ebrLba = next;
    }
    return logicals;
  }
}
