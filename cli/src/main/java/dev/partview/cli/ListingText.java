package dev.partview.cli;

import dev.partview.fuse.probe.Filesystem;
import dev.partview.table.ByteSizes;
import dev.partview.table.Diagnostic;
import dev.partview.table.Partition;
import dev.partview.table.PartitionKind;
import dev.partview.table.PartitionTable;
import dev.partview.table.PartitionTableException;
import dev.partview.table.SectorSize;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The human listing: like {@code fdisk -l}, but every position in bytes as well as sectors, so that
 * nobody multiplies by 512 (or by the wrong sector size) again.
 *
 * <pre>
 * legacy.img: 33554432 bytes (32M), dos partition table, disk id 0x1234abcd, sector size 512: …
 *
 * NAME  KIND         START       END  SIZE              START SECTOR  SECTORS  TYPE        BOOT  FS
 * p1    primary      32256   8225279   8193024 (7.8M)             63    16002  0x83 Linux  *     ext4 "root"
 * p2    extended   8225280  24675839  16450560 (15.7M)         16065    32130  0x05 Extended
 * p5    logical    8257536  12354047   4096512 (3.9M)          16128     8001  0x82 Linux swap / Solaris …
 * </pre>
 *
 * Columns that would be empty for the scheme are left out: KIND for GPT, LABEL and UUID for MBR,
 * and FS when libblkid is unavailable. Diagnostics follow as {@code warning: … (offset N)} lines.
 */
final class ListingText {
  private ListingText() {}

  static void print(Listing l, PrintWriter out) {
    if (l.table() == null) {
      printWithoutTable(l, out);
      return;
    }
    PartitionTable t = l.table();
    out.println(
        TextTable.printable(l.image().toString())
            + ": "
            + size(l.size())
            + ", "
            + t.scheme()
            + " partition table, disk id "
            + t.diskId()
            + ", sector size "
            + t.sectorSize().bytes()
            + ": "
            + reason(t.sectorSize()));
    if (l.wholeImage() != null)
      out.println("whole image: " + TextTable.printable(fs(l.wholeImage())));
    out.println();
    if (t.partitions().isEmpty()) out.println("no partitions");
    else table(l, t).print(out);
    if (!t.diagnostics().isEmpty() || !l.probeErrors().isEmpty()) out.println();
    for (Diagnostic d : t.diagnostics()) out.println(d.severity().jsonName() + ": " + located(d));
    for (Map.Entry<Integer, String> e : new TreeMap<>(l.probeErrors()).entrySet()) {
      out.println("note: p" + e.getKey() + ": " + TextTable.printable(e.getValue()));
    }
  }

  private static void printWithoutTable(Listing l, PrintWriter out) {
    boolean none = l.failure().kind() == PartitionTableException.Kind.NO_TABLE;
    out.println(
        TextTable.printable(l.image().toString())
            + ": "
            + size(l.size())
            + ", "
            + (none ? "no partition table" : "no readable partition table"));
    if (l.wholeImage() != null) {
      out.println("whole image: " + TextTable.printable(fs(l.wholeImage())));
      out.println(
          "the whole image is the filesystem: use the image itself (or the disk file of a"
              + " partview mount), no offset needed");
    } else if (l.probed()) {
      out.println("whole image: no filesystem signature found either");
    }
  }

  private static TextTable table(Listing l, PartitionTable t) {
    boolean gpt = t.scheme().equals("gpt");
    TextTable tt = new TextTable().column("NAME", false);
    if (!gpt) tt.column("KIND", false);
    tt.column("START", true)
        .column("END", true)
        .column("SIZE", false)
        .column("START SECTOR", true)
        .column("SECTORS", true)
        .column("TYPE", false)
        .column("BOOT", false);
    if (gpt) tt.column("LABEL", false);
    if (l.probed()) tt.column("FS", false);
    if (gpt) tt.column("UUID", false);

    int bytesWidth = 0;
    int humanWidth = 0;
    for (Partition p : t.partitions()) {
      bytesWidth = Math.max(bytesWidth, Long.toString(p.size()).length());
      humanWidth = Math.max(humanWidth, ByteSizes.human(p.size()).length());
    }
    for (Partition p : t.partitions()) {
      List<String> row = new ArrayList<>();
      row.add(p.name());
      if (!gpt) row.add(p.kind().jsonName());
      row.add(Long.toString(p.start()));
      row.add(Long.toString(p.end()));
      String bytes = Long.toString(p.size());
      String human = "(" + ByteSizes.human(p.size()) + ")";
      row.add(" ".repeat(bytesWidth - bytes.length()) + bytes + " " + human);
      row.add(Long.toString(p.firstLba()));
      row.add(Long.toString(p.sectors()));
      row.add(p.type().id() + " " + p.type().displayName());
      row.add(p.bootable() ? "*" : "");
      if (gpt) row.add(p.label() == null ? "" : p.label());
      if (l.probed()) row.add(fsCell(l, p));
      if (gpt) row.add(p.uuid() == null ? "" : p.uuid().toString());
      tt.row(row);
    }
    return tt;
  }

  private static String fsCell(Listing l, Partition p) {
    if (p.kind() == PartitionKind.EXTENDED) return "";
    if (l.probeErrors().containsKey(p.number())) return "?";
    return l.filesystem(p.number()).map(ListingText::fs).orElse("");
  }

  /** {@link Diagnostic#located}, escaped for a terminal. */
  static String located(Diagnostic d) {
    return TextTable.printable(d.located());
  }

  /** {@code ext4 "root"}, or just the type when there is no label. */
  static String fs(Filesystem f) {
    return f.label() == null || f.label().isEmpty()
        ? f.type()
        : f.type() + " \"" + f.label() + "\"";
  }

  private static String size(long bytes) {
    return bytes + " bytes (" + ByteSizes.human(bytes) + ")";
  }

  /** Why this sector size, in words (the reader's reasons, with "option" spelled out). */
  static String reason(SectorSize s) {
    return s.source().equals("option") ? "given with --sector-size" : s.source();
  }
}
