package dev.partview.table;

import dev.partview.table.io.Block;
import dev.partview.table.io.ByteSource;
import dev.partview.table.mbr.MbrEntry;
import java.io.IOException;
import java.util.List;

/**
 * The consistency check that picks 512 or 4096 for an MBR-only image. An MBR has no field for its
 * sector size; util-linux assumes the device's (512 for a file), so a 4Kn disk image lists wrong
 * there. Two signs that the table counts 4096-byte sectors:
 *
 * <ol>
 *   <li>the first EBR of the extended partition has its 0x55AA signature where 4096-byte sectors
 *       put it, and not where 512-byte sectors would;
 *   <li>at 4096 bytes every partition ends inside the image and together they reach past half of
 *       it, while at 512 bytes everything would sit in the first eighth of the image — the shape of
 *       a table written on a 4Kn device and copied whole.
 * </ol>
 *
 * Otherwise 512. Truncated dumps (partitions beyond the end at both sizes) stay at 512.
 */
final class SectorSizeProbe {
  private SectorSizeProbe() {}

  static SectorSize forMbr(ByteSource src, List<MbrEntry> entries) throws IOException {
    long size = src.size();
    for (MbrEntry e : entries) {
      if (e.isExtended()) {
        Boolean at512 = signatureAt(src, e.lbaStart() * 512);
        Boolean at4096 = signatureAt(src, e.lbaStart() * 4096);
        if (Boolean.FALSE.equals(at512) && Boolean.TRUE.equals(at4096)) {
          return new SectorSize(4096, "first EBR signature found at 4096-byte sectors");
        }
        if (Boolean.TRUE.equals(at512))
          return new SectorSize(512, "first EBR signature found at 512-byte sectors");
        break;
      }
    }
    long end = 0;
    boolean any = false;
    for (MbrEntry e : entries) {
      if (e.isEmpty() || e.sectors() == 0) continue;
      any = true;
      end = Math.max(end, e.lbaStart() + e.sectors()); // u32 + u32: no overflow
    }
    if (any && end * 4096 <= size && end * 4096 > size / 2 && end * 512 < size / 8) {
      return new SectorSize(4096, "partitions fill the image only at 4096-byte sectors");
    }
    return new SectorSize(SectorSize.DEFAULT, "default (MBR holds no sector size)");
  }

  /** Whether the sector at {@code offset} ends in 0x55AA; null when it lies beyond the image. */
  private static Boolean signatureAt(ByteSource src, long offset) throws IOException {
    if (offset < 0 || offset + 512 > src.size()) return null;
    Block b = Block.read(src, "EBR probe", offset, 512);
    return b.u8(510) == 0x55 && b.u8(511) == 0xAA;
  }
}
