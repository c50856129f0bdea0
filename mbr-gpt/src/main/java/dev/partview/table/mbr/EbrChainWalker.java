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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Follows the chain of extended boot records. Each EBR is an MBR-shaped sector whose data entries
 * start relative to the EBR itself and whose link entry (an extended type) points to the next EBR
 * relative to the start of the first extended partition. As the kernel ({@code parse_extended} in
 * {@code block/partitions/msdos.c}) and libblkid do:
 *
 * <ul>
 *   <li>every entry with sectors that is not a link is a logical partition, numbered 5, 6, … in
 *       chain order (OS/2 used all four slots; libfdisk/sfdisk keep only the first);
 *   <li>entries in slots 3 and 4 are believed only when they fit the current EBR's extent and the
 *       extended partition ("these sometimes contain random garbage");
 *   <li>the link is the first extended-type entry with sectors;
 *   <li>more than 100 EBRs in a row without a data entry end the walk.
 * </ul>
 *
 * <p>The chain need not advance: sfdisk writes EBRs in the order the logicals were created, so a
 * link may point backwards. It is cut, with a diagnostic, when it returns to an EBR already read (a
 * cycle or a self-link), when it leaves the extended partition, and after {@code maxLogicals}
 * logicals or {@code maxLogicals + 128} EBRs. The kernel has no cycle check and would repeat a
 * looping chain's partitions until its 256-partition limit.
 */
final class EbrChainWalker {
  /** EBRs without data entries tolerated beyond the logical cap. */
  static final int MAX_EMPTY_EBRS = 128;

  /** The kernel's and libblkid's limit of consecutive EBRs without a data partition. */
  static final int MAX_CONSECUTIVE_EMPTY = 100;

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
    long ebrSectors = extended.sectors(); // the extent the current EBR claims
    Set<Long> visited = new HashSet<>();
    int number = 5;
    int withoutData = 0;
    int maxEbrs = maxLogicals + MAX_EMPTY_EBRS;
    for (int index = 1; ; index++) {
      String structure = "EBR #" + index + " at LBA " + ebrLba;
      long offset =
          Checked.multiply(ebrLba, ss.bytes(), structure, extended.offset(), "EBR offset");
      if (index > maxEbrs) {
        // Links that hop one sector at a time through a 2 TiB extended partition would
        // otherwise mean billions of reads.
        diags.add(
            Diagnostic.error(offset, structure + ": chain longer than " + maxEbrs + " EBRs; cut"));
        break;
      }
      visited.add(ebrLba);
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
      boolean data = false;
      MbrEntry link = null;
      for (int slot = 0; slot < 4; slot++) {
        MbrEntry e = MbrEntry.read(ebr, slot);
        if (!e.isUsed()) continue;
        if (e.isExtended()) {
          if (link == null) link = e;
          else
            diags.add(
                Diagnostic.warning(
                    e.offset(),
                    structure + ": extra link entry in slot " + (slot + 1) + " ignored"));
          continue;
        }
        long first = ebrLba + e.lbaStart(); // u32 + u32
        if (slot >= 2
            && (e.lbaStart() + e.sectors() > ebrSectors
                || first < extStart
                || first + e.sectors() > extEnd)) {
          diags.add(
              Diagnostic.warning(
                  e.offset(),
                  structure
                      + ": entry in slot "
                      + (slot + 1)
                      + " does not fit the extended partition; ignored as garbage, as Linux"
                      + " does"));
          continue;
        }
        if (logicals.size() >= maxLogicals) {
          diags.add(
              Diagnostic.error(
                  e.offset(),
                  structure + ": more than " + maxLogicals + " logical partitions; chain cut"));
          return logicals;
        }
        if (!e.hasValidBootIndicator()) {
          diags.add(
              Diagnostic.warning(
                  e.offset(),
                  String.format(
                      Locale.ROOT,
                      "p%d: odd boot indicator 0x%02x (expected 0x00 or 0x80); not bootable",
                      number,
                      e.bootIndicator())));
        }
        Partition p =
            MbrReader.partition(number++, PartitionKind.LOGICAL, e, ebrLba, ss, structure);
        if (p.firstLba() + p.sectors() > extEnd || p.firstLba() <= ebrLba) {
          diags.add(
              Diagnostic.warning(
                  e.offset(), "p" + p.number() + " lies outside its extended partition"));
        }
        logicals.add(p);
        data = true;
      }
      withoutData = data ? 0 : withoutData + 1;
      if (withoutData > MAX_CONSECUTIVE_EMPTY) {
        diags.add(
            Diagnostic.error(
                offset,
                structure
                    + ": "
                    + withoutData
                    + " EBRs in a row without a logical partition; chain cut"));
        break;
      }
      if (link == null) break;
      long next = extStart + link.lbaStart(); // u32 + u32
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
      if (visited.contains(next)) {
        diags.add(
            Diagnostic.error(
                link.offset(),
                structure
                    + ": link back to the EBR at LBA "
                    + next
                    + (next == ebrLba ? " (itself)" : "")
                    + ", a cycle; chain cut"));
        break;
      }
      ebrLba = next;
      ebrSectors = link.sectors();
    }
    return logicals;
  }
}
