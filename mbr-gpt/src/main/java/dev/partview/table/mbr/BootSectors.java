package dev.partview.table.mbr;

import dev.partview.table.PartitionTableException;
import dev.partview.table.io.Block;
import java.nio.charset.StandardCharsets;

/**
 * Tells a filesystem's boot sector from an MBR. FAT, NTFS and exFAT volume boot records also end in
 * 0x55AA, and their BIOS parameter block can read as plausible partition entries (a FAT
 * "superfloppy" has no table at all). libblkid refuses a DOS table on a FAT boot sector too.
 */
final class BootSectors {
  private BootSectors() {}

  /** "FAT" when this is a FAT boot sector, or null for anything else (an MBR). */
  static String filesystemIn(Block s) throws PartitionTableException {
    boolean jump = s.u8(0) == 0xEB && s.u8(2) == 0x90 || s.u8(0) == 0xE9;
    if (!jump) return null;
    // GRUB's MBR also starts with EB xx 90, so the BPB must be plausible and name itself FAT.
    int bytesPerSector = s.u16(11);
    int sectorsPerCluster = s.u8(13);
    boolean bpb =
        bytesPerSector >= 512
            && bytesPerSector <= 4096
            && Integer.bitCount(bytesPerSector) == 1
            && sectorsPerCluster != 0
            && Integer.bitCount(sectorsPerCluster) == 1
            && s.u16(14) != 0 // reserved sectors
            && (s.u8(16) == 1 || s.u8(16) == 2); // number of FATs
    if (bpb && (text(s, 54, "FAT") || text(s, 82, "FAT"))) return "FAT";
    return null;
  }

  private static boolean text(Block s, int off, String expected) throws PartitionTableException {
    return s.matches(off, expected.getBytes(StandardCharsets.US_ASCII));
  }
}
