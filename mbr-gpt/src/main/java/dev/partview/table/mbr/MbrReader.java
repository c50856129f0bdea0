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

/** Reads a DOS/MBR table: the four primaries and the logicals of the first extended partition. */
public final class MbrReader {
  private MbrReader() {}

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
    List<MbrEntry> entries = new ArrayList<>(4);
    for (int slot = 0; slot < 4; slot++) {
      MbrEntry e = MbrEntry.read(sector0, slot);
      // A boot indicator other than 0x00/0x80 means this is a boot sector (e.g. a FAT volume's
      // VBR, which also ends in 0x55AA), not a partition table: libblkid's rule too.
      if (e.bootIndicator() != 0 && e.bootIndicator() != 0x80) {
        throw new PartitionTableException(
            Kind.NO_TABLE,
            "MBR entry " + (slot + 1),
            e.offset(),
            String.format(
                "no partition table: boot indicator 0x%02x (expected 0x00 or 0x80)",
                e.bootIndicator()));
      }
      entries.add(e);
    }
    return entries;
  }

  public static boolean hasSignature(Block sector0) throws PartitionTableException {
    return sector0.u8(510) == 0x55 && sector0.u8(511) == 0xAA;
  }

  public static MbrTable read(ByteSource src, Block sector0, SectorSize ss, ReadOptions opts)
      throws IOException {
    List<MbrEntry> entries = entries(sector0);
    long diskSignature = sector0.u32(440);
    List<Partition> parts = new ArrayList<>();
    List<Diagnostic> diags = new ArrayList<>();
    MbrEntry extended = null;
    for (MbrEntry e : entries) {
      if (e.isEmpty()) continue;
      boolean ext = e.isExtended() && extended == null;
      if (ext) extended = e;
      else if (e.isExtended()) {
        diags.add(
            Diagnostic.warning(
                e.offset(),
                "second extended partition in slot " + (e.slot() + 1) + " not followed"));
      }
      parts.add(
          partition(
              e.slot() + 1, ext ? PartitionKind.EXTENDED : PartitionKind.PRIMARY, e, 0, ss, "MBR"));
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
