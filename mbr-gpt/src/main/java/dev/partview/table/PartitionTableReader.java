package dev.partview.table;

import dev.partview.table.PartitionTableException.Kind;
import dev.partview.table.gpt.GptHeader;
import dev.partview.table.gpt.GptReader;
import dev.partview.table.io.Block;
import dev.partview.table.io.ByteSource;
import dev.partview.table.mbr.MbrEntry;
import dev.partview.table.mbr.MbrReader;
import java.io.IOException;
import java.util.List;

/**
 * Reads the partition table of an image: probe (which scheme, which sector size), parse, verify.
 *
 * <p>Sector size, when not given: image files carry none, so it is inferred from content. A GPT
 * header ("EFI PART") is looked for at byte 512, 1024, 2048 and 4096 — the second sector for each
 * size — and then at the last sector for each size (a damaged primary). For an MBR without GPT, 512
 * is used unless the table only makes sense with 4096-byte sectors: the first EBR of the extended
 * partition carries its 0x55AA signature at the 4096-byte position but not the 512-byte one, or
 * every partition fits the image at 4096 bytes and together they cover more than half of it, while
 * at 512 bytes they would cover less than an eighth (see {@link SectorSizeProbe}).
 */
public final class PartitionTableReader {
  private PartitionTableReader() {}

  static final int[] SECTOR_SIZES = {512, 1024, 2048, 4096};

  public static PartitionTable read(ByteSource src, ReadOptions opts) throws IOException {
    long size = src.size();
    if (size < 512) {
      throw new PartitionTableException(
          Kind.NO_TABLE,
          "image",
          0,
          "no partition table: the image is " + size + " bytes, less than one 512-byte sector");
    }
    Block sector0 = Block.read(src, "MBR", 0, 512);
    boolean signed = MbrReader.hasSignature(sector0);
    // Raw entries: a protective MBR with odd boot indicators must not hide the GPT behind it.
    List<MbrEntry> mbr = signed ? MbrReader.rawEntries(sector0) : List.of();
    boolean protective = mbr.stream().anyMatch(MbrEntry::isProtectiveGpt);

    SectorSize gptSize = findGpt(src, opts, protective);
    PartitionTable table;
    if (gptSize != null && (protective || mbr.stream().noneMatch(MbrEntry::isUsed))) {
      table = GptReader.read(src, gptSize, mbr, opts);
      if (!protective)
        table =
            withDiagnostic(
                table,
                Diagnostic.warning(
                    MbrEntry.TABLE_OFFSET,
                    "GPT without a protective MBR (no 0xEE entry at LBA 0); read anyway"));
    } else if (protective) {
      throw new PartitionTableException(
          Kind.CORRUPT,
          "protective MBR",
          MbrEntry.TABLE_OFFSET,
          "0xEE entry promises a GPT, but no \"EFI PART\" header was found at LBA 1 or at the"
              + " last LBA"
              + (opts.sectorSizeGiven()
                  ? " with " + opts.sectorSize() + "-byte sectors"
                  : " for any sector size of 512, 1024, 2048, 4096"));
    } else {
      if (!signed) {
        String foreign = ForeignLabels.identify(src);
        if (foreign != null) {
          throw new PartitionTableException(
              Kind.UNSUPPORTED,
              foreign,
              ForeignLabels.offsetOf(foreign),
              "not an MBR or GPT: "
                  + ForeignLabels.withArticle(foreign)
                  + " is not read by partview");
        }
      }
      List<MbrEntry> checked = MbrReader.entries(sector0); // throws NO_TABLE with the reason
      SectorSize ss =
          opts.sectorSizeGiven()
              ? new SectorSize(opts.sectorSize(), "option")
              : SectorSizeProbe.forMbr(src, checked);
      table = MbrReader.read(src, sector0, checked, ss, opts);
      if (gptSize != null) {
        table =
            withDiagnostic(
                table,
                Diagnostic.warning(
                    gptSize.bytes(),
                    "GPT header found but LBA 0 has no 0xEE entry: ignored, the MBR is used"));
      }
    }
    return TableVerifier.verify(table);
  }

  /** The sector size at which a GPT header sits, or null when there is none. */
  private static SectorSize findGpt(ByteSource src, ReadOptions opts, boolean protective)
      throws IOException {
    long size = src.size();
    int[] sizes = opts.sectorSizeGiven() ? new int[] {opts.sectorSize()} : SECTOR_SIZES;
    String how = opts.sectorSizeGiven() ? "option" : null;
    for (int ss : sizes) {
      if (size >= 2L * ss && GptHeader.hasSignature(Block.read(src, "GPT probe", ss, 8))) {
        return new SectorSize(ss, how != null ? how : "GPT header found at byte " + ss);
      }
    }
    if (!protective) return null;
    for (int ss : sizes) {
      long last = (size / ss - 1) * ss;
      if (last >= ss && GptHeader.hasSignature(Block.read(src, "GPT probe", last, 8))) {
        return new SectorSize(
            ss, how != null ? how : "backup GPT header found in the last " + ss + "-byte sector");
      }
    }
    return null;
  }

  static PartitionTable withDiagnostic(PartitionTable t, Diagnostic d) {
    return withDiagnostics(t, List.of(d));
  }

  static PartitionTable withDiagnostics(PartitionTable t, List<Diagnostic> more) {
    List<Diagnostic> ds = new java.util.ArrayList<>(t.diagnostics());
    ds.addAll(more);
    if (t instanceof MbrTable m)
      return new MbrTable(m.diskSignature(), m.sectorSize(), m.imageSize(), m.partitions(), ds);
    GptTable g = (GptTable) t;
    return new GptTable(
        g.diskGuid(),
        g.sectorSize(),
        g.imageSize(),
        g.partitions(),
        ds,
        g.hybridMbr(),
        g.fromBackup(),
        g.firstUsableLba(),
        g.lastUsableLba());
  }
}
