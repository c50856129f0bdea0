package dev.partview.table.gpt;

import dev.partview.table.Diagnostic;
import dev.partview.table.GptTable;
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
import dev.partview.table.mbr.MbrEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Reads a GUID partition table (UEFI 2.10 §5.3): the primary header at LBA 1 and its entry array;
 * when the primary is damaged in content, the backup header at the last LBA, or else where the
 * primary's alternate_lba says. Unlike the kernel, which then needs the {@code gpt} boot option,
 * the backup is used with an error diagnostic. A valid primary whose backup lies beyond the end of
 * the image (a truncated dump) is kept, as kpartx does; partitions past the end are reported by the
 * verify phase.
 */
public final class GptReader {
  private GptReader() {}

  /** Entry layout (§5.3.3): type GUID (0), unique GUID (16), first LBA (32), last LBA (40), */
  private static final int FIRST_LBA = 32;

  /** … attributes (48), name: 36 UTF-16LE code units (56). */
  private static final int ATTRIBUTES = 48;

  private static final int NAME_OFFSET = 56;
  private static final int NAME_UNITS = 36;

  /** Bit 2 of the attributes: legacy BIOS bootable (§5.3.3, table 5.8). */
  private static final long LEGACY_BIOS_BOOTABLE = 1L << 2;

  /** A header as read, its entries, and the array CRC mismatch if any. */
  private record Side(GptHeader header, Block entries, PartitionTableException entriesCrcError) {}

  public static GptTable read(ByteSource src, SectorSize ss, List<MbrEntry> mbr, ReadOptions opts)
      throws IOException {
    long size = src.size();
    long lastLba = size / ss.bytes() - 1;
    List<Diagnostic> diags = new ArrayList<>();
    Side primary = null;
    PartitionTableException primaryError = null;
    try {
      primary = readSide(src, ss, 1, "primary GPT header", opts);
      primaryError = primary.entriesCrcError();
    } catch (PartitionTableException e) {
      primaryError = e;
    }
    Side side;
    boolean fromBackup = false;
    if (primaryError == null) {
      side = primary;
      checkBackup(src, ss, primary.header(), lastLba, opts, diags);
    } else {
      Attempt found = findBackup(src, ss, lastLba, opts);
      Side backup = found.side();
      if (backup != null) {
        side = backup;
        fromBackup = true;
        diags.add(
            Diagnostic.error(
                primaryError.offset(),
                primaryError.getMessage()
                    + "; using the backup header at LBA "
                    + backup.header().myLba()));
        if (backup.header().myLba() != lastLba) {
          diags.add(
              Diagnostic.warning(
                  backup.header().offset(),
                  "backup GPT header at LBA "
                      + backup.header().myLba()
                      + ", not at the last LBA "
                      + lastLba));
        }
      } else if (primary != null) {
        // Only the array CRC is wrong and nothing better exists: a lenient reader (dissect.volume)
        // lists the entries; the kernel and libblkid would show no GPT at all.
        side = primary;
        diags.add(
            Diagnostic.error(
                primaryError.offset(), primaryError.getMessage() + "; entries used as they are"));
        if (found.failure() != null) {
          diags.add(Diagnostic.error(found.failure().offset(), found.failure().getMessage()));
        }
      } else {
        throw found.failure() == null ? primaryError : primaryError.andThen(found.failure());
      }
    }
    GptHeader h = side.header();
    checkLayout(h, ss, lastLba, diags);
    List<Partition> parts = entries(side.entries(), h, ss, diags);
    boolean hybrid = checkProtectiveMbr(mbr, diags);
    return new GptTable(
        h.diskGuid(),
        ss,
        size,
        parts,
        diags,
        hybrid,
        fromBackup,
        h.firstUsableLba(),
        h.lastUsableLba());
  }

  /** A backup tried: the side when it is valid, else why not (null when none was there to try). */
  private record Attempt(Side side, PartitionTableException failure) {
    static final Attempt NONE = new Attempt(null, null);
  }

  /** A valid backup at the last LBA, or at the damaged primary's alternate_lba; else why not. */
  private static Attempt findBackup(ByteSource src, SectorSize ss, long lastLba, ReadOptions opts)
      throws IOException {
    if (lastLba < 2) return Attempt.NONE;
    Attempt atEnd = tryRead(src, ss, lastLba, opts);
    if (atEnd.side() != null) return atEnd;
    // The primary's CRC failed, so its alternate_lba is only a hint: worth one more read when it
    // names another sector inside the image (a disk image copied onto a larger one).
    Block sector1 = Block.read(src, "primary GPT header at LBA 1", ss.bytes(), ss.bytes());
    if (!GptHeader.hasSignature(sector1)) return atEnd;
    long hint = sector1.u64(32);
    if (hint < 2 || hint >= lastLba) return atEnd;
    Attempt atHint = tryRead(src, ss, hint, opts);
    return atHint.side() != null || atEnd.failure() == null ? atHint : atEnd;
  }

  private static Attempt tryRead(ByteSource src, SectorSize ss, long lba, ReadOptions opts)
      throws IOException {
    try {
      Side s = readSide(src, ss, lba, "backup GPT header", opts);
      return s.entriesCrcError() == null
          ? new Attempt(s, null)
          : new Attempt(null, s.entriesCrcError());
    } catch (PartitionTableException e) {
      return new Attempt(null, e);
    }
  }

  private static Side readSide(
      ByteSource src, SectorSize ss, long lba, String name, ReadOptions opts) throws IOException {
    String structure = name + " at LBA " + lba;
    long offset = Checked.multiply(lba, ss.bytes(), structure, 0, "header offset");
    GptHeader h =
        GptHeader.parse(Block.read(src, structure, offset, ss.bytes()), lba, opts.maxGptEntries());
    String arrayName = name.replace("header", "entry array") + " at LBA " + h.entriesLba();
    long arrayOffset =
        Checked.multiply(
            h.entriesLba(), ss.bytes(), arrayName, h.offset() + 72, "entry array offset");
    // The size was capped by GptHeader.parse; Block.read checks it against the image first.
    Block entries = Block.read(src, arrayName, arrayOffset, (int) h.entryArrayBytes());
    long crc = entries.crc32(0, entries.length(), -1);
    PartitionTableException crcError = null;
    if (crc != h.entriesCrc()) {
      crcError =
          new PartitionTableException(
              Kind.CORRUPT,
              arrayName,
              arrayOffset,
              String.format(
                  Locale.ROOT,
                  "entry array CRC32 0x%08x does not match the computed 0x%08x",
                  h.entriesCrc(),
                  crc));
    }
    return new Side(h, entries, crcError);
  }

  /** Notes a backup header that is missing, misplaced, damaged or disagrees with the primary. */
  private static void checkBackup(
      ByteSource src,
      SectorSize ss,
      GptHeader primary,
      long lastLba,
      ReadOptions opts,
      List<Diagnostic> diags)
      throws IOException {
    long alt = primary.alternateLba();
    long altField = primary.offset() + 32;
    if (alt > lastLba) {
      diags.add(
          Diagnostic.warning(
              altField,
              "backup GPT header at LBA "
                  + alt
                  + " lies beyond the end of the image (last LBA "
                  + lastLba
                  + "): truncated image?"));
      return;
    }
    Side backup = null;
    String why = null;
    long whyOffset = altField;
    if (alt <= 1) {
      why = "the primary's alternate LBA is " + alt;
    } else {
      try {
        backup = readSide(src, ss, alt, "backup GPT header", opts);
        if (backup.entriesCrcError() != null) {
          why = backup.entriesCrcError().getMessage();
          whyOffset = backup.entriesCrcError().offset();
          backup = null;
        }
      } catch (PartitionTableException e) {
        why = e.getMessage();
        whyOffset = e.offset();
      }
    }
    if (backup == null && alt != lastLba) {
      // Misplaced: the primary points elsewhere, but the backup may still be at the end.
      Side atEnd = tryRead(src, ss, lastLba, opts).side();
      if (atEnd != null) {
        diags.add(
            Diagnostic.warning(
                altField,
                "the primary's alternate LBA is "
                    + alt
                    + " but the backup GPT header is at the last LBA "
                    + lastLba));
        compare(primary, atEnd.header(), diags);
        return;
      }
    }
    if (backup == null) {
      diags.add(Diagnostic.warning(whyOffset, "no valid backup GPT header: " + why));
      return;
    }
    if (alt != lastLba) {
      diags.add(
          Diagnostic.warning(
              altField, "backup GPT header at LBA " + alt + ", not at the last LBA " + lastLba));
    }
    compare(primary, backup.header(), diags);
  }

  /** The kernel's {@code compare_gpts}: fields both headers must agree on. */
  private static void compare(GptHeader p, GptHeader b, List<Diagnostic> diags) {
    List<String> differ = new ArrayList<>();
    if (b.alternateLba() != p.myLba()) differ.add("backup's alternate LBA " + b.alternateLba());
    if (p.firstUsableLba() != b.firstUsableLba() || p.lastUsableLba() != b.lastUsableLba())
      differ.add("usable range");
    if (!p.diskGuid().equals(b.diskGuid())) differ.add("disk GUID");
    if (p.entryCount() != b.entryCount() || p.entrySize() != b.entrySize())
      differ.add("entry count or size");
    if (p.entriesCrc() != b.entriesCrc()) differ.add("entry array CRC32");
    if (!differ.isEmpty()) {
      diags.add(
          Diagnostic.warning(
              b.offset(),
              "primary and backup GPT headers differ: "
                  + String.join(", ", differ)
                  + "; the primary is used"));
    }
  }

  /** Layout rules that depend on the image: usable range and entry array placement. */
  private static void checkLayout(
      GptHeader h, SectorSize ss, long lastLba, List<Diagnostic> diags) {
    if (h.lastUsableLba() > lastLba && h.alternateLba() <= lastLba) {
      diags.add(
          Diagnostic.warning(
              h.offset() + 48,
              "last usable LBA "
                  + h.lastUsableLba()
                  + " lies beyond the end of the image (last LBA "
                  + lastLba
                  + ")"));
    }
    long arrayLast = h.entriesLba() + h.entryArraySectors(ss.bytes()) - 1;
    if (h.entriesLba() <= h.lastUsableLba() && arrayLast >= h.firstUsableLba()) {
      diags.add(
          Diagnostic.warning(
              h.offset() + 72,
              "entry array (LBA "
                  + h.entriesLba()
                  + ".."
                  + arrayLast
                  + ") overlaps the usable range "
                  + h.firstUsableLba()
                  + ".."
                  + h.lastUsableLba()));
    }
  }

  /**
   * Protective MBR checks (§5.2.3): reports a hybrid MBR (data entries beside the 0xEE one; GPT
   * wins, as in Linux), an 0xEE entry not starting at LBA 1 (the kernel would ignore the GPT), and
   * odd boot indicators.
   *
   * @return whether the MBR is hybrid
   */
  private static boolean checkProtectiveMbr(List<MbrEntry> mbr, List<Diagnostic> diags) {
    boolean hybrid = mbr.stream().anyMatch(e -> !e.isEmpty() && !e.isProtectiveGpt());
    if (hybrid) {
      diags.add(
          Diagnostic.warning(
              MbrEntry.TABLE_OFFSET,
              "hybrid MBR: LBA 0 holds data entries beside the 0xEE one; the GPT is used"));
    }
    boolean anyProtective = mbr.stream().anyMatch(MbrEntry::isProtectiveGpt);
    if (anyProtective && mbr.stream().noneMatch(e -> e.isProtectiveGpt() && e.lbaStart() == 1)) {
      diags.add(
          Diagnostic.warning(
              MbrEntry.TABLE_OFFSET,
              "no 0xEE entry of the protective MBR starts at LBA 1 (the Linux kernel would not"
                  + " read this GPT)"));
    }
    for (MbrEntry e : mbr) {
      if (!e.hasValidBootIndicator()) {
        diags.add(
            Diagnostic.warning(
                e.offset(),
                String.format(
                    Locale.ROOT,
                    "MBR entry %d: odd boot indicator 0x%02x (expected 0x00 or 0x80)",
                    e.slot() + 1,
                    e.bootIndicator())));
      }
    }
    return hybrid;
  }

  private static List<Partition> entries(
      Block array, GptHeader h, SectorSize ss, List<Diagnostic> diags)
      throws PartitionTableException {
    List<Partition> parts = new ArrayList<>();
    long maxLba = Long.MAX_VALUE / ss.bytes() - 1; // so that (last + 1) * sector size fits
    for (int i = 0; i < h.entryCount(); i++) {
      int o = i * h.entrySize(); // < 4 MiB
      if (array.allZero(o, 16)) continue; // unused slot: its number stays free
      UUID type = array.guid(o);
      int number = i + 1;
      long entryOffset = array.base() + o;
      long first = array.u64(o + FIRST_LBA);
      long last = array.u64(o + FIRST_LBA + 8);
      if (first < 0 || last < 0 || last < first || last > maxLba) {
        diags.add(
            Diagnostic.error(
                entryOffset + FIRST_LBA,
                "GPT entry "
                    + number
                    + ": LBA range "
                    + Long.toUnsignedString(first)
                    + ".."
                    + Long.toUnsignedString(last)
                    + " is invalid; skipped"));
        continue;
      }
      long sectors = last - first + 1;
      if (first < h.firstUsableLba() || last > h.lastUsableLba()) {
        diags.add(
            Diagnostic.warning(
                entryOffset + FIRST_LBA,
                "p"
                    + number
                    + " (LBA "
                    + first
                    + ".."
                    + last
                    + ") lies outside the usable range "
                    + h.firstUsableLba()
                    + ".."
                    + h.lastUsableLba()));
      }
      long attributes = array.u64(o + ATTRIBUTES);
      parts.add(
          new Partition(
              number,
              PartitionKind.GPT,
              first,
              sectors,
              first * ss.bytes(),
              sectors * ss.bytes(),
              new PartitionType.Gpt(type),
              array.utf16le(o + NAME_OFFSET, NAME_UNITS),
              array.guid(o + 16),
              (attributes & LEGACY_BIOS_BOOTABLE) != 0,
              attributes));
    }
    return parts;
  }
}
