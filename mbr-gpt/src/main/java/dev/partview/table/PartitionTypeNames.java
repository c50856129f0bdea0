package dev.partview.table;

import java.util.Map;
import java.util.UUID;

/** The catalogue of well-known partition type names (the ones sfdisk and gdisk print). */
final class PartitionTypeNames {
  private PartitionTypeNames() {}

  private static final Map<Integer, String> MBR =
      Map.ofEntries(
          Map.entry(0x00, "Empty"),
          Map.entry(0x01, "FAT12"),
          Map.entry(0x04, "FAT16 <32M"),
          Map.entry(0x05, "Extended"),
          Map.entry(0x06, "FAT16"),
          Map.entry(0x07, "HPFS/NTFS/exFAT"),
          Map.entry(0x0b, "W95 FAT32"),
          Map.entry(0x0c, "W95 FAT32 (LBA)"),
          Map.entry(0x0e, "W95 FAT16 (LBA)"),
          Map.entry(0x0f, "W95 Ext'd (LBA)"),
          Map.entry(0x82, "Linux swap / Solaris"),
          Map.entry(0x83, "Linux"),
          Map.entry(0x85, "Linux extended"),
          Map.entry(0x8e, "Linux LVM"),
          Map.entry(0xa5, "FreeBSD"),
          Map.entry(0xee, "GPT"),
          Map.entry(0xef, "EFI (FAT-12/16/32)"),
          Map.entry(0xfd, "Linux raid autodetect"));

  private static final Map<UUID, String> GPT =
      Map.ofEntries(
          Map.entry(UUID.fromString("c12a7328-f81f-11d2-ba4b-00a0c93ec93b"), "EFI System"),
          Map.entry(UUID.fromString("21686148-6449-6e6f-744e-656564454649"), "BIOS boot"),
          Map.entry(UUID.fromString("0fc63daf-8483-4772-8e79-3d69d8477de4"), "Linux filesystem"),
          Map.entry(UUID.fromString("0657fd6d-a4ab-43c4-84e5-0933c84b4f4f"), "Linux swap"),
          Map.entry(UUID.fromString("e6d6d379-f507-44c2-a23c-238f2a3df928"), "Linux LVM"),
          Map.entry(UUID.fromString("a19d880f-05fc-4d3b-a006-743f0f84911e"), "Linux RAID"),
          Map.entry(
              UUID.fromString("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7"), "Microsoft basic data"),
          Map.entry(UUID.fromString("e3c9e316-0b5c-4db8-817d-f92df00215ae"), "Microsoft reserved"));

  static String mbr(int code) {
    return MBR.getOrDefault(code, "unknown");
  }

  static String gpt(UUID guid) {
    return GPT.getOrDefault(guid, "unknown");
  }
}
