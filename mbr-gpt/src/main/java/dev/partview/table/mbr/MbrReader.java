package dev.partview.table.mbr;

import dev.partview.table.Diagnostic;
import dev.partview.table.MbrTable;
import dev.partview.table.Partition;
import dev.partview.table.PartitionKind;
import dev.partview.table.PartitionTableException;
import dev.partview.table.PartitionTableException.Kind;
import dev.partview.table.PartitionType;
import dev.partview.table.ReadOptions;
import dev.partview.table.SectorSize;
import dev.partview.table.io.Block;
import dev.partview.table.io.ByteSource;
import dev.partview.table.io.Checked;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a DOS/MBR table: the four primaries and the logicals of the first extended partition.
 *
 * <p>Which slots are partitions follows Linux (kernel {@code block/partitions/msdos.c}, libblkid,
 * libfdisk): a slot is used when its sector count is not 0, whatever its type. So a typed entry of
 * 0 sectors is skipped (its number stays free) and a type-0x00 entry with sectors is listed; both
 * get a diagnostic.
 */
public final class MbrReader {
  private MbrReader() {}

  /**
   * The four entries of sector 0 as stored, without judging them: what the GPT probe needs (a
   * protective MBR may carry odd boot indicators, which must not hide the GPT behind it).
   */
  public static List<MbrEntry> rawEntries(Block sector0) throws PartitionTableException {
    List<MbrEntry> entries = new ArrayList<>(4);
    for (int slot = 0; slot < 4; slot++) entries.add(MbrEntry.read(sector0, slot));
    return entries;
  }

  /** The four entries of sector 0, or a NO_TABLE exception if it is not a partition table. */
  public static List<MbrEntry> entries(Block sector0) throws PartitionTableException {
    if (!hasSignature(sector0)) {
      throw new PartitionTableException(
          Kind.NO_TABLE, "MBR", 510, "no partition table: no 0x55AA boot signature");
    }
    String fs = BootSectors.filesystemIn(sector0);
    if (fs != null) {
      throw new PartitionTableException(
          Kind.NO_TABLE, "MBR", 3, "no partition table: sector 0 is a " + fs + " boot sector");
    }
    List<MbrEntry> entries = rawEntries(sector0);
    for (MbrEntry e : entries) {
      // A boot indicator other than 0x00/0x80 means this is a boot sector (e.g. a FAT volume's
      // VBR, which also ends in 0x55AA), not a partition table: the kernel's and libblkid's rule.
      if (!e.hasValidBootIndicator()) {
        throw new PartitionTableException(
            Kind.NO_TABLE,
            "MBR entry " + (e.slot() + 1),
            e.offset(),
            String.format(
                Locale.ROOT,
                "no partition table: boot indicator 0x%02x (expected 0x00 or 0x80)",
                e.bootIndicator()));
      }
    }
    return entries;
  }

  public static boolean hasSignature(Block sector0) throws PartitionTableException {
    return sector0.u8(510) == 0x55 && sector0.u8(511) == 0xAA;
  }

  /**
   * @param entries sector 0's entries as {@link #entries} returned them (checked already)
   */
  public static MbrTable read(
      ByteSource src, Block sector0, List<MbrEntry> entries, SectorSize ss, ReadOptions opts)
      throws IOException {
    long diskSignature = sector0.u32(440);
    List<Partition> parts = new ArrayList<>();
    List<Diagnostic> diags = new ArrayList<>();
    MbrEntry extended = null;
    for (MbrEntry e : entries) {
      if (!e.isUsed()) {
        if (!e.isEmpty()) {
          diags.add(
              Diagnostic.warning(
                  e.offset(),
                  String.format(
                      Locale.ROOT,
                      "MBR entry %d has type 0x%02x but 0 sectors: skipped, as Linux does",
                      e.slot() + 1,
                      e.type())));
        }
        continue;
      }
      if (e.isEmpty()) {
        diags.add(
            Diagnostic.warning(
                e.offset(),
                "MBR entry "
                    + (e.slot() + 1)
                    + " has type 0x00 (empty) but "
                    + e.sectors()
                    + " sectors: listed, as Linux does"));
      }
      boolean firstExtended = e.isExtended() && extended == null;
      if (firstExtended) extended = e;
      else if (e.isExtended()) {
        // The kernel and libblkid would walk this chain too; libfdisk/sfdisk and the DESIGN
        // contract follow only the first extended partition.
        diags.add(
            Diagnostic.warning(
                e.offset(),
                "second extended partition in slot "
                    + (e.slot() + 1)
                    + ": its chain not followed"));
      }
      parts.add(
          partition(
              e.slot() + 1,
              e.isExtended() ? PartitionKind.EXTENDED : PartitionKind.PRIMARY,
              e,
              0,
              ss,
              "MBR"));
    }
    if (extended != null) {
      parts.addAll(new EbrChainWalker(src, extended, ss, opts.maxLogicals(), diags).walk());
    }
    return new MbrTable(diskSignature, ss, src.size(), parts, diags);
  }

  /** A partition from an entry whose LBA is relative to {@code baseLba}. */
  static Partition partition(
      int number, PartitionKind kind, MbrEntry e, long baseLba, SectorSize ss, String where)
      throws PartitionTableException {
    String structure = where + " entry " + (e.slot() + 1);
    // u32 + u32 (+ u32 for a logical) and then times at most 65536: far from overflowing a long.
    long lba = Checked.add(baseLba, e.lbaStart(), structure, e.offset(), "start LBA");
    return new Partition(
        number,
        kind,
        lba,
        e.sectors(),
        Checked.multiply(lba, ss.bytes(), structure, e.offset(), "start"),
        Checked.multiply(e.sectors(), ss.bytes(), structure, e.offset(), "size"),
        new PartitionType.Mbr(e.type()),
        null,
        null,
        e.bootable(),
        0);
  }
}
