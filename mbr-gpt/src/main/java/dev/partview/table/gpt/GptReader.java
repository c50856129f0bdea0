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
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Reads a GUID partition table: the primary header at LBA 1 and its entry array, falling back to
 * the backup header at the last LBA when the primary is damaged in content (UEFI 2.10 §5.3.2).
 */
public final class GptReader {
  private GptReader() {}

  /** The name field of an entry: 36 UTF-16 code units at byte 56. */
  private static final int NAME_OFFSET = 56;

  private static final int NAME_UNITS = 36;

  /** The primary and backup as read: a header, its entries, and what went wrong. */
  private record Side(GptHeader header, Block entries, PartitionTableException entriesCrcError) {}

  public static GptTable read(ByteSource src, SectorSize ss, List<MbrEntry> mbr, ReadOptions opts)
      throws IOException {
    long size = src.size();
    long lastLba = size / ss.bytes() - 1;
    List<Diagnostic> diags = new ArrayList<>();
    Side side;
    boolean fromBackup = false;
    try {
      side = readSide(src, ss, 1, "primary GPT header", opts);
      if (side.entriesCrcError() != null) throw side.entriesCrcError();
      checkBackup(src, ss, side.header(), lastLba, opts, diags);
    } catch (PartitionTableException primaryError) {
      Side backup = tryBackup(src, ss, lastLba, opts);
      if (backup != null && backup.entriesCrcError() == null) {
        side = backup;
        fromBackup = true;
        diags.add(
            Diagnostic.error(
                primaryError.offset(),
                primaryError.getMessage()
                    + "; using the backup header at offset "
                    + backup.header().offset()));
      } else {
        side = lenientPrimary(src, ss, opts, primaryError);
        diags.add(
            Diagnostic.error(
                primaryError.offset(),
                primaryError.getMessage() + "; no valid backup header, entries used as they are"));
      }
    }
    GptHeader h = side.header();
    List<Partition> parts = entries(side.entries(), h, ss, diags);
    boolean hybrid = mbr.stream().anyMatch(e -> !e.isEmpty() && !e.isProtectiveGpt());
    if (hybrid) {
      diags.add(
          Diagnostic.warning(
              MbrEntry.TABLE_OFFSET,
              "hybrid MBR: LBA 0 holds data entries beside the 0xEE one; the GPT is used"));
    }
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

  /** The primary's entries when only their CRC is wrong and there is no backup to use instead. */
  private static Side lenientPrimary(
      ByteSource src, SectorSize ss, ReadOptions opts, PartitionTableException primaryError)
      throws IOException {
    try {
      Side s = readSide(src, ss, 1, "primary GPT header", opts);
      if (s.entriesCrcError() != null) return s;
    } catch (PartitionTableException e) {
      // fall through: the header itself is unusable
    }
    throw primaryError;
  }

  private static Side tryBackup(ByteSource src, SectorSize ss, long lastLba, ReadOptions opts)
      throws IOException {
    if (lastLba < 2) return null;
    try {
      return readSide(src, ss, lastLba, "backup GPT header", opts);
    } catch (PartitionTableException e) {
      return null;
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
    Block entries = Block.read(src, arrayName, arrayOffset, (int) h.entryArrayBytes());
    CRC32 crc = new CRC32();
    crc.update(entries.copy(0, entries.length()));
    PartitionTableException crcError = null;
    if (crc.getValue() != h.entriesCrc()) {
      crcError =
          new PartitionTableException(
              Kind.CORRUPT,
              arrayName,
              arrayOffset,
              String.format(
                  "entry array CRC32 0x%08x does not match the computed 0x%08x",
                  h.entriesCrc(), crc.getValue()));
    }
    return new Side(h, entries, crcError);
  }

  /** Notes a backup header that is missing, misplaced or damaged; the primary stays in use. */
  private static void checkBackup(
      ByteSource src,
      SectorSize ss,
      GptHeader primary,
      long lastLba,
      ReadOptions opts,
      List<Diagnostic> diags)
      throws IOException {
    long alt = primary.alternateLba();
    if (alt > lastLba) {
      diags.add(
          Diagnostic.warning(
              primary.offset() + 32,
              "backup GPT header at LBA "
                  + alt
                  + " lies beyond the end of the image (last LBA "
                  + lastLba
                  + "): truncated image?"));
      return;
    }
    if (alt != lastLba) {
      diags.add(
          Diagnostic.warning(
              primary.offset() + 32,
              "backup GPT header at LBA " + alt + ", not at the last LBA " + lastLba));
    }
    try {
      Side backup = readSide(src, ss, alt, "backup GPT header", opts);
      if (backup.entriesCrcError() != null) throw backup.entriesCrcError();
    } catch (PartitionTableException e) {
      diags.add(Diagnostic.warning(e.offset(), e.getMessage()));
    }
  }

  private static List<Partition> entries(
      Block array, GptHeader h, SectorSize ss, List<Diagnostic> diags)
      throws PartitionTableException {
    List<Partition> parts = new ArrayList<>();
    for (int i = 0; i < h.entryCount(); i++) {
      int o = i * h.entrySize();
      UUID type = array.guid(o);
      if (type.getMostSignificantBits() == 0 && type.getLeastSignificantBits() == 0)
        continue; // unused slot
      int number = i + 1;
      long entryOffset = array.base() + o;
      String structure = "GPT entry " + number;
      long first = array.u64(o + 32);
      long last = array.u64(o + 40);
      if (first < 0 || last < 0 || last < first) {
        diags.add(
            Diagnostic.error(
                entryOffset + 32,
                structure
                    + ": LBA range "
                    + Long.toUnsignedString(first)
                    + ".."
                    + Long.toUnsignedString(last)
                    + " is invalid; skipped"));
        continue;
      }
      long sectors = last - first + 1;
      long start = Checked.multiply(first, ss.bytes(), structure, entryOffset + 32, "start");
      long bytes = Checked.multiply(sectors, ss.bytes(), structure, entryOffset + 40, "size");
      if (first < h.firstUsableLba() || last > h.lastUsableLba()) {
        diags.add(
            Diagnostic.warning(
                entryOffset + 32,
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
      long attributes = array.u64(o + 48);
      String name = array.utf16le(o + NAME_OFFSET, NAME_UNITS);
      parts.add(
          new Partition(
              number,
              PartitionKind.GPT,
              first,
              sectors,
              start,
              bytes,
              new PartitionType.Gpt(type),
              name,
              array.guid(o + 16),
              (attributes & 4) != 0,
              attributes));
    }
    return parts;
  }
}
