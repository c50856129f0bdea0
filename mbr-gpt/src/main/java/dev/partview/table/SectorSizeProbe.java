package dev.partview.table;

import dev.partview.table.io.Block;
import dev.partview.table.io.ByteSource;
import dev.partview.table.mbr.MbrEntry;
import dev.partview.table.mbr.MbrReader;
import java.io.IOException;
import java.util.List;

/**
 * The consistency check that picks 512 or 4096 for an MBR-only image. An MBR has no field for its
 * sector size; util-linux assumes the device's (512 for a file), so a table written on a 4Kn device
 * (e.g. through {@code losetup -b 4096}) lists wrong there. 4096 is chosen when either
 *
 * <ol>
 *   <li>the first EBR of the extended partition carries its 0x55AA signature where 4096-byte
 *       sectors put it, and not where 512-byte sectors would; or
 *   <li>all three of: at 4096 bytes every used entry ends inside the image; together they reach
 *       past half of it; and every start is on a 1 MiB boundary at 4096 bytes while some start is
 *       not at 512 bytes.
 * </ol>
 *
 * Otherwise 512. Rule 2 is the shape of a table written by fdisk, sfdisk or parted on a 4Kn device
 * (1 MiB-aligned starts, most of the disk used): read at 512 bytes it covers at most an eighth of
 * the image and its starts fall on 128 KiB boundaries. A 512-byte table by the same tools is
 * aligned to 2048 sectors and so never matches; neither does a legacy one (start 63 is not aligned
 * at either size), nor a truncated dump (its partitions end beyond the image at 4096). What it
 * cannot see: a 4Kn table that uses less than half of its image or is not 1 MiB-aligned; such
 * images need {@code --sector-size 4096}.
 */
final class SectorSizeProbe {
  private SectorSizeProbe() {}

  private static final long MIB = 1 << 20;

  static SectorSize forMbr(ByteSource src, List<MbrEntry> entries) throws IOException {
    long size = src.size();
    for (MbrEntry e : entries) {
      if (e.isExtended() && e.isUsed()) {
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
    boolean alignedAt4096 = true;
    boolean alignedAt512 = true;
    for (MbrEntry e : entries) {
      if (!e.isUsed()) continue;
      any = true;
      end = Math.max(end, e.lbaStart() + e.sectors()); // u32 + u32: no overflow
      alignedAt4096 &= e.lbaStart() * 4096 % MIB == 0;
      alignedAt512 &= e.lbaStart() * 512 % MIB == 0;
    }
    if (any && end * 4096 <= size && end * 4096 > size / 2 && alignedAt4096 && !alignedAt512) {
      return new SectorSize(
          4096,
          "MBR entries end past half the image and are 1 MiB-aligned only at 4096-byte sectors");
    }
    return new SectorSize(SectorSize.DEFAULT, "default (an MBR holds no sector size)");
  }

  /** Whether the sector at {@code offset} ends in 0x55AA; null when it lies beyond the image. */
  private static Boolean signatureAt(ByteSource src, long offset) throws IOException {
    if (offset < 0 || offset + 512 > src.size()) return null;
    return MbrReader.hasSignature(Block.read(src, "EBR probe", offset, 512));
  }
}
