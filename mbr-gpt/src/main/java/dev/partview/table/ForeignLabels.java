package dev.partview.table;

import dev.partview.table.io.Block;
import dev.partview.table.io.ByteSource;
import java.io.IOException;

/**
 * Names the partition labels partview does not read, so that an image carrying one fails as
 * UNSUPPORTED with its name instead of "no partition table". Only labels with a cheap, reliable
 * magic number are named (Atari AHDI has none and stays NO_TABLE). Consulted only when sector 0 has
 * no 0x55AA signature, so an MBR always wins.
 */
final class ForeignLabels {
  private ForeignLabels() {}

  static final String BSD = "BSD disklabel";
  static final String SUN = "Sun VTOC label";
  static final String SGI = "SGI volume header";
  static final String MAC = "Apple partition map";
  static final String DASD = "IBM DASD label";

  /** The label's name, or null for none of them. */
  static String identify(ByteSource src) throws IOException {
    long size = src.size();
    Block head = Block.read(src, "label probe", 0, (int) Math.min(size, 1024));
    // BSD: d_magic 0x82564557 (LE) in sector 1 (i386) or at byte 64 (other ports).
    if (u32le(head, 512) == 0x82564557L || u32le(head, 64) == 0x82564557L) return BSD;
    // Sun: 0xDABE (big-endian) at byte 508 of sector 0.
    if (u8(head, 508) == 0xDA && u8(head, 509) == 0xBE) return SUN;
    // SGI: 0x0BE5A941 (big-endian) at byte 0.
    if (u8(head, 0) == 0x0B && u8(head, 1) == 0xE5 && u8(head, 2) == 0xA9 && u8(head, 3) == 0x41)
      return SGI;
    // Apple: driver descriptor "ER" at byte 0 and a partition map entry "PM" at 512.
    if (u8(head, 0) == 'E' && u8(head, 1) == 'R' && u8(head, 512) == 'P' && u8(head, 513) == 'M')
      return MAC;
    // DASD: "VOL1" / "LNX1" / "CMS1" in EBCDIC in the third 4 KiB block.
    if (size >= 8196) {
      Block b = Block.read(src, "label probe", 8192, 4);
      long m = (long) b.u8(0) << 24 | b.u8(1) << 16 | b.u8(2) << 8 | b.u8(3);
      if (m == 0xE5D6D3F1L || m == 0xD3D5E7F1L || m == 0xC3D4E2F1L) return DASD;
    }
    return null;
  }

  /** "a BSD disklabel", "an Apple partition map", "an SGI volume header" (as it is said). */
  static String withArticle(String label) {
    boolean vowelSound = label.equals(MAC) || label.equals(DASD) || label.equals(SGI);
    return (vowelSound ? "an " : "a ") + label;
  }

  /** Where the magic of a label named by {@link #identify} lives. */
  static long offsetOf(String label) {
    if (label.equals(BSD)) return 512;
    if (label.equals(SUN)) return 508;
    if (label.equals(DASD)) return 8192;
    return 0;
  }

  private static int u8(Block b, int off) throws IOException {
    return off < b.length() ? b.u8(off) : -1;
  }

  private static long u32le(Block b, int off) throws IOException {
    return off + 4 <= b.length() ? b.u32(off) : -1;
  }
}
