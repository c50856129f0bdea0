package dev.partview.table;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The catalogue of well-known partition type names, spelled as sfdisk/fdisk print them (util-linux
 * 2.38 {@code sfdisk --label dos -T} and {@code --label gpt -T}), plus the GPT types only GPT fdisk
 * (gdisk) knows — Android, Container Linux, ChromeOS firmware, Ceph BlueStore and a few boot
 * loaders — with gdisk's names. Names are for people; scripts should use the code or GUID.
 */
final class PartitionTypeNames {
  private PartitionTypeNames() {}

  private static final Map<Integer, String> MBR = new HashMap<>(256);
  private static final Map<UUID, String> GPT = new HashMap<>(512);

  static String mbr(int code) {
    return MBR.getOrDefault(code, "unknown");
  }

  static String gpt(UUID guid) {
    return GPT.getOrDefault(guid, "unknown");
  }

  /** How many names the catalogue holds, for tests. */
  static int mbrCount() {
    return MBR.size();
  }

  static int gptCount() {
    return GPT.size();
  }

  private static void mbr(int code, String name) {
    if (MBR.put(code, name) != null) {
      throw new IllegalStateException(
          String.format(Locale.ROOT, "duplicate MBR type 0x%02x", code));
    }
  }

  private static void gpt(String guid, String name) {
    if (GPT.put(UUID.fromString(guid), name) != null) {
      throw new IllegalStateException("duplicate GPT type " + guid);
    }
  }

  // MBR system indicator bytes: util-linux's list (libfdisk/src/pt-mbr-partnames.h).
  static {
    mbr(0x00, "Empty");
    mbr(0x01, "FAT12");
    mbr(0x02, "XENIX root");
    mbr(0x03, "XENIX usr");
    mbr(0x04, "FAT16 <32M");
    mbr(0x05, "Extended");
    mbr(0x06, "FAT16");
    mbr(0x07, "HPFS/NTFS/exFAT");
    mbr(0x08, "AIX");
    mbr(0x09, "AIX bootable");
    mbr(0x0a, "OS/2 Boot Manager");
    mbr(0x0b, "W95 FAT32");
    mbr(0x0c, "W95 FAT32 (LBA)");
    mbr(0x0e, "W95 FAT16 (LBA)");
    mbr(0x0f, "W95 Ext'd (LBA)");
    mbr(0x10, "OPUS");
    mbr(0x11, "Hidden FAT12");
    mbr(0x12, "Compaq diagnostics");
    mbr(0x14, "Hidden FAT16 <32M");
    mbr(0x16, "Hidden FAT16");
    mbr(0x17, "Hidden HPFS/NTFS");
    mbr(0x18, "AST SmartSleep");
    mbr(0x1b, "Hidden W95 FAT32");
    mbr(0x1c, "Hidden W95 FAT32 (LBA)");
    mbr(0x1e, "Hidden W95 FAT16 (LBA)");
    mbr(0x24, "NEC DOS");
    mbr(0x27, "Hidden NTFS WinRE");
    mbr(0x39, "Plan 9");
    mbr(0x3c, "PartitionMagic recovery");
    mbr(0x40, "Venix 80286");
    mbr(0x41, "PPC PReP Boot");
    mbr(0x42, "SFS");
    mbr(0x4d, "QNX4.x");
    mbr(0x4e, "QNX4.x 2nd part");
    mbr(0x4f, "QNX4.x 3rd part");
    mbr(0x50, "OnTrack DM");
    mbr(0x51, "OnTrack DM6 Aux1");
    mbr(0x52, "CP/M");
    mbr(0x53, "OnTrack DM6 Aux3");
    mbr(0x54, "OnTrackDM6");
    mbr(0x55, "EZ-Drive");
    mbr(0x56, "Golden Bow");
    mbr(0x5c, "Priam Edisk");
    mbr(0x61, "SpeedStor");
    mbr(0x63, "GNU HURD or SysV");
    mbr(0x64, "Novell Netware 286");
    mbr(0x65, "Novell Netware 386");
    mbr(0x70, "DiskSecure Multi-Boot");
    mbr(0x75, "PC/IX");
    mbr(0x80, "Old Minix");
    mbr(0x81, "Minix / old Linux");
    mbr(0x82, "Linux swap / Solaris");
    mbr(0x83, "Linux");
    mbr(0x84, "OS/2 hidden or Intel hibernation");
    mbr(0x85, "Linux extended");
    mbr(0x86, "NTFS volume set");
    mbr(0x87, "NTFS volume set");
    mbr(0x88, "Linux plaintext");
    mbr(0x8e, "Linux LVM");
    mbr(0x93, "Amoeba");
    mbr(0x94, "Amoeba BBT");
    mbr(0x9f, "BSD/OS");
    mbr(0xa0, "IBM Thinkpad hibernation");
    mbr(0xa5, "FreeBSD");
    mbr(0xa6, "OpenBSD");
    mbr(0xa7, "NeXTSTEP");
    mbr(0xa8, "Darwin UFS");
    mbr(0xa9, "NetBSD");
    mbr(0xab, "Darwin boot");
    mbr(0xaf, "HFS / HFS+");
    mbr(0xb7, "BSDI fs");
    mbr(0xb8, "BSDI swap");
    mbr(0xbb, "Boot Wizard hidden");
    mbr(0xbc, "Acronis FAT32 LBA");
    mbr(0xbe, "Solaris boot");
    mbr(0xbf, "Solaris");
    mbr(0xc1, "DRDOS/sec (FAT-12)");
    mbr(0xc4, "DRDOS/sec (FAT-16 < 32M)");
    mbr(0xc6, "DRDOS/sec (FAT-16)");
    mbr(0xc7, "Syrinx");
    mbr(0xda, "Non-FS data");
    mbr(0xdb, "CP/M / CTOS / ...");
    mbr(0xde, "Dell Utility");
    mbr(0xdf, "BootIt");
    mbr(0xe1, "DOS access");
    mbr(0xe3, "DOS R/O");
    mbr(0xe4, "SpeedStor");
    mbr(0xea, "Linux extended boot");
    mbr(0xeb, "BeOS fs");
    mbr(0xee, "GPT");
    mbr(0xef, "EFI (FAT-12/16/32)");
    mbr(0xf0, "Linux/PA-RISC boot");
    mbr(0xf1, "SpeedStor");
    mbr(0xf4, "SpeedStor");
    mbr(0xf2, "DOS secondary");
    mbr(0xf8, "EBBR protective");
    mbr(0xfb, "VMware VMFS");
    mbr(0xfc, "VMware VMKCORE");
    mbr(0xfd, "Linux raid autodetect");
    mbr(0xfe, "LANstep");
    mbr(0xff, "BBT");
  }

  // GPT type GUIDs: util-linux's list (libfdisk/src/pt-gpt-partnames.h), in its order.
  static {
    gpt("c12a7328-f81f-11d2-ba4b-00a0c93ec93b", "EFI System");
    gpt("024dee41-33e7-11d3-9d69-0008c781f39f", "MBR partition scheme");
    gpt("d3bfe2de-3daf-11df-ba40-e3a556d89593", "Intel Fast Flash");
    gpt("21686148-6449-6e6f-744e-656564454649", "BIOS boot");
    gpt("f4019732-066e-4e12-8273-346c5641494f", "Sony boot partition");
    gpt("bfbfafe7-a34f-448a-9a5b-6213eb736c22", "Lenovo boot partition");
    gpt("9e1a2d38-c612-4316-aa26-8b49521e5a8b", "PowerPC PReP boot");
    gpt("7412f7d5-a156-4b13-81dc-867174929325", "ONIE boot");
    gpt("d4e6e2cd-4469-46f3-b5cb-1bff57afc149", "ONIE config");
    gpt("e3c9e316-0b5c-4db8-817d-f92df00215ae", "Microsoft reserved");
    gpt("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7", "Microsoft basic data");
    gpt("5808c8aa-7e8f-42e0-85d2-e1e90434cfb3", "Microsoft LDM metadata");
    gpt("af9b60a0-1431-4f62-bc68-3311714a69ad", "Microsoft LDM data");
    gpt("de94bba4-06d1-4d40-a16a-bfd50179d6ac", "Windows recovery environment");
    gpt("37affc90-ef7d-4e96-91c3-2d7ae055b174", "IBM General Parallel Fs");
    gpt("e75caf8f-f680-4cee-afa3-b001e56efc2d", "Microsoft Storage Spaces");
    gpt("75894c1e-3aeb-11d3-b7c1-7b03a0000000", "HP-UX data");
    gpt("e2a1e728-32e3-11d6-a682-7b03a0000000", "HP-UX service");
    gpt("0657fd6d-a4ab-43c4-84e5-0933c84b4f4f", "Linux swap");
    gpt("0fc63daf-8483-4772-8e79-3d69d8477de4", "Linux filesystem");
    gpt("3b8f8425-20e0-4f3b-907f-1a25a76f98e8", "Linux server data");
    gpt("44479540-f297-41b2-9af7-d131d5f0458a", "Linux root (x86)");
    gpt("4f68bce3-e8cd-4db1-96e7-fbcaf984b709", "Linux root (x86-64)");
    gpt("6523f8ae-3eb1-4e2a-a05a-18b695ae656f", "Linux root (Alpha)");
    gpt("d27f46ed-2919-4cb8-bd25-9531f3c16534", "Linux root (ARC)");
    gpt("69dad710-2ce4-4e3c-b16c-21a1d49abed3", "Linux root (ARM)");
    gpt("b921b045-1df0-41c3-af44-4c6f280d3fae", "Linux root (ARM-64)");
    gpt("993d8d3d-f80e-4225-855a-9daf8ed7ea97", "Linux root (IA-64)");
    gpt("77055800-792c-4f94-b39a-98c91b762bb6", "Linux root (LoongArch-64)");
    gpt("37c58c8a-d913-4156-a25f-48b1b64e07f0", "Linux root (MIPS-32 LE)");
    gpt("700bda43-7a34-4507-b179-eeb93d7a7ca3", "Linux root (MIPS-64 LE)");
    gpt("1de3f1ef-fa98-47b5-8dcd-4a860a654d78", "Linux root (PPC)");
    gpt("912ade1d-a839-4913-8964-a10eee08fbd2", "Linux root (PPC64)");
    gpt("c31c45e6-3f39-412e-80fb-4809c4980599", "Linux root (PPC64LE)");
    gpt("60d5a7fe-8e7d-435c-b714-3dd8162144e1", "Linux root (RISC-V-32)");
    gpt("72ec70a6-cf74-40e6-bd49-4bda08e8f224", "Linux root (RISC-V-64)");
    gpt("08a7acea-624c-4a20-91e8-6e0fa67d23f9", "Linux root (S390)");
    gpt("5eead9a9-fe09-4a1e-a1d7-520d00531306", "Linux root (S390X)");
    gpt("c50cdd70-3862-4cc3-90e1-809a8c93ee2c", "Linux root (TILE-Gx)");
    gpt("8da63339-0007-60c0-c436-083ac8230908", "Linux reserved");
    gpt("933ac7e1-2eb4-4f13-b844-0e14e2aef915", "Linux home");
    gpt("a19d880f-05fc-4d3b-a006-743f0f84911e", "Linux RAID");
    gpt("e6d6d379-f507-44c2-a23c-238f2a3df928", "Linux LVM");
    gpt("4d21b016-b534-45c2-a9fb-5c16e091fd2d", "Linux variable data");
    gpt("7ec6f557-3bc5-4aca-b293-16ef5df639d1", "Linux temporary data");
    gpt("75250d76-8cc6-458e-bd66-bd47cc81a812", "Linux /usr (x86)");
    gpt("8484680c-9521-48c6-9c11-b0720656f69e", "Linux /usr (x86-64)");
    gpt("e18cf08c-33ec-4c0d-8246-c6c6fb3da024", "Linux /usr (Alpha)");
    gpt("7978a683-6316-4922-bbee-38bff5a2fecc", "Linux /usr (ARC)");
    gpt("7d0359a3-02b3-4f0a-865c-654403e70625", "Linux /usr (ARM)");
    gpt("b0e01050-ee5f-4390-949a-9101b17104e9", "Linux /usr (ARM-64)");
    gpt("4301d2a6-4e3b-4b2a-bb94-9e0b2c4225ea", "Linux /usr (IA-64)");
    gpt("e611c702-575c-4cbe-9a46-434fa0bf7e3f", "Linux /usr (LoongArch-64)");
    gpt("0f4868e9-9952-4706-979f-3ed3a473e947", "Linux /usr (MIPS-32 LE)");
    gpt("c97c1f32-ba06-40b4-9f22-236061b08aa8", "Linux /usr (MIPS-64 LE)");
    gpt("7d14fec5-cc71-415d-9d6c-06bf0b3c3eaf", "Linux /usr (PPC)");
    gpt("2c9739e2-f068-46b3-9fd0-01c5a9afbcca", "Linux /usr (PPC64)");
    gpt("15bb03af-77e7-4d4a-b12b-c0d084f7491c", "Linux /usr (PPC64LE)");
    gpt("b933fb22-5c3f-4f91-af90-e2bb0fa50702", "Linux /usr (RISC-V-32)");
    gpt("beaec34b-8442-439b-a40b-984381ed097d", "Linux /usr (RISC-V-64)");
    gpt("cd0f869b-d0fb-4ca0-b141-9ea87cc78d66", "Linux /usr (S390)");
    gpt("8a4f5770-50aa-4ed3-874a-99b710db6fea", "Linux /usr (S390X)");
    gpt("55497029-c7c1-44cc-aa39-815ed1558630", "Linux /usr (TILE-Gx)");
    gpt("d13c5d3b-b5d1-422a-b29f-9454fdc89d76", "Linux root verity (x86)");
    gpt("2c7357ed-ebd2-46d9-aec1-23d437ec2bf5", "Linux root verity (x86-64)");
    gpt("fc56d9e9-e6e5-4c06-be32-e74407ce09a5", "Linux root verity (Alpha)");
    gpt("24b2d975-0f97-4521-afa1-cd531e421b8d", "Linux root verity (ARC)");
    gpt("7386cdf2-203c-47a9-a498-f2ecce45a2d6", "Linux root verity (ARM)");
    gpt("df3300ce-d69f-4c92-978c-9bfb0f38d820", "Linux root verity (ARM-64)");
    gpt("86ed10d5-b607-45bb-8957-d350f23d0571", "Linux root verity (IA-64)");
    gpt("f3393b22-e9af-4613-a948-9d3bfbd0c535", "Linux root verity (LoongArch-64)");
    gpt("d7d150d2-2a04-4a33-8f12-16651205ff7b", "Linux root verity (MIPS-32 LE)");
    gpt("16b417f8-3e06-4f57-8dd2-9b5232f41aa6", "Linux root verity (MIPS-64 LE)");
    gpt("98cfe649-1588-46dc-b2f0-add147424925", "Linux root verity (PPC)");
    gpt("9225a9a3-3c19-4d89-b4f6-eeff88f17631", "Linux root verity (PPC64)");
    gpt("906bd944-4589-4aae-a4e4-dd983917446a", "Linux root verity (PPC64LE)");
    gpt("ae0253be-1167-4007-ac68-43926c14c5de", "Linux root verity (RISC-V-32)");
    gpt("b6ed5582-440b-4209-b8da-5ff7c419ea3d", "Linux root verity (RISC-V-64)");
    gpt("7ac63b47-b25c-463b-8df8-b4a94e6c90e1", "Linux root verity (S390)");
    gpt("b325bfbe-c7be-4ab8-8357-139e652d2f6b", "Linux root verity (S390X)");
    gpt("966061ec-28e4-4b2e-b4a5-1f0a825a1d84", "Linux root verity (TILE-Gx)");
    gpt("8f461b0d-14ee-4e81-9aa9-049b6fb97abd", "Linux /usr verity (x86)");
    gpt("77ff5f63-e7b6-4633-acf4-1565b864c0e6", "Linux /usr verity (x86-64)");
    gpt("8cce0d25-c0d0-4a44-bd87-46331bf1df67", "Linux /usr verity (Alpha)");
    gpt("fca0598c-d880-4591-8c16-4eda05c7347c", "Linux /usr verity (ARC)");
    gpt("c215d751-7bcd-4649-be90-6627490a4c05", "Linux /usr verity (ARM)");
    gpt("6e11a4e7-fbca-4ded-b9e9-e1a512bb664e", "Linux /usr verity (ARM-64)");
    gpt("6a491e03-3be7-4545-8e38-83320e0ea880", "Linux /usr verity (IA-64)");
    gpt("f46b2c26-59ae-48f0-9106-c50ed47f673d", "Linux /usr verity (LoongArch-64)");
    gpt("46b98d8d-b55c-4e8f-aab3-37fca7f80752", "Linux /usr verity (MIPS-32 LE)");
    gpt("3c3d61fe-b5f3-414d-bb71-8739a694a4ef", "Linux /usr verity (MIPS-64 LE)");
    gpt("df765d00-270e-49e5-bc75-f47bb2118b09", "Linux /usr verity (PPC)");
    gpt("bdb528a5-a259-475f-a87d-da53fa736a07", "Linux /usr verity (PPC64)");
    gpt("ee2b9983-21e8-4153-86d9-b6901a54d1ce", "Linux /usr verity (PPC64LE)");
    gpt("cb1ee4e3-8cd0-4136-a0a4-aa61a32e8730", "Linux /usr verity (RISC-V-32)");
    gpt("8f1056be-9b05-47c4-81d6-be53128e5b54", "Linux /usr verity (RISC-V-64)");
    gpt("b663c618-e7bc-4d6d-90aa-11b756bb1797", "Linux /usr verity (S390)");
    gpt("31741cc4-1a2a-4111-a581-e00b447d2d06", "Linux /usr verity (S390X)");
    gpt("2fb4bf56-07fa-42da-8132-6b139f2026ae", "Linux /usr verity (TILE-Gx)");
    gpt("5996fc05-109c-48de-808b-23fa0830b676", "Linux root verity sign. (x86)");
    gpt("41092b05-9fc8-4523-994f-2def0408b176", "Linux root verity sign. (x86-64)");
    gpt("d46495b7-a053-414f-80f7-700c99921ef8", "Linux root verity sign. (Alpha)");
    gpt("143a70ba-cbd3-4f06-919f-6c05683a78bc", "Linux root verity sign. (ARC)");
    gpt("42b0455f-eb11-491d-98d3-56145ba9d037", "Linux root verity sign. (ARM)");
    gpt("6db69de6-29f4-4758-a7a5-962190f00ce3", "Linux root verity sign. (ARM-64)");
    gpt("e98b36ee-32ba-4882-9b12-0ce14655f46a", "Linux root verity sign. (IA-64)");
    gpt("5afb67eb-ecc8-4f85-ae8e-ac1e7c50e7d0", "Linux root verity sign. (LoongArch-64)");
    gpt("c919cc1f-4456-4eff-918c-f75e94525ca5", "Linux root verity sign. (MIPS-32 LE)");
    gpt("904e58ef-5c65-4a31-9c57-6af5fc7c5de7", "Linux root verity sign. (MIPS-64 LE)");
    gpt("1b31b5aa-add9-463a-b2ed-bd467fc857e7", "Linux root verity sign. (PPC)");
    gpt("f5e2c20c-45b2-4ffa-bce9-2a60737e1aaf", "Linux root verity sign. (PPC64)");
    gpt("d4a236e7-e873-4c07-bf1d-bf6cf7f1c3c6", "Linux root verity sign. (PPC64LE)");
    gpt("3a112a75-8729-4380-b4cf-764d79934448", "Linux root verity sign. (RISC-V-32)");
    gpt("efe0f087-ea8d-4469-821a-4c2a96a8386a", "Linux root verity sign. (RISC-V-64)");
    gpt("3482388e-4254-435a-a241-766a065f9960", "Linux root verity sign. (S390)");
    gpt("c80187a5-73a3-491a-901a-017c3fa953e9", "Linux root verity sign. (S390X)");
    gpt("b3671439-97b0-4a53-90f7-2d5a8f3ad47b", "Linux root verity sign. (TILE-Gx)");
    gpt("974a71c0-de41-43c3-be5d-5c5ccd1ad2c0", "Linux /usr verity sign. (x86)");
    gpt("e7bb33fb-06cf-4e81-8273-e543b413e2e2", "Linux /usr verity sign. (x86-64)");
    gpt("5c6e1c76-076a-457a-a0fe-f3b4cd21ce6e", "Linux /usr verity sign. (Alpha)");
    gpt("94f9a9a1-9971-427a-a400-50cb297f0f35", "Linux /usr verity sign. (ARC)");
    gpt("d7ff812f-37d1-4902-a810-d76ba57b975a", "Linux /usr verity sign. (ARM)");
    gpt("c23ce4ff-44bd-4b00-b2d4-b41b3419e02a", "Linux /usr verity sign. (ARM-64)");
    gpt("8de58bc2-2a43-460d-b14e-a76e4a17b47f", "Linux /usr verity sign. (IA-64)");
    gpt("b024f315-d330-444c-8461-44bbde524e99", "Linux /usr verity sign. (LoongArch-64)");
    gpt("3e23ca0b-a4bc-4b4e-8087-5ab6a26aa8a9", "Linux /usr verity sign. (MIPS-32 LE)");
    gpt("f2c2c7ee-adcc-4351-b5c6-ee9816b66e16", "Linux /usr verity sign. (MIPS-64 LE)");
    gpt("7007891d-d371-4a80-86a4-5cb875b9302e", "Linux /usr verity sign. (PPC)");
    gpt("0b888863-d7f8-4d9e-9766-239fce4d58af", "Linux /usr verity sign. (PPC64)");
    gpt("c8bfbd1e-268e-4521-8bba-bf314c399557", "Linux /usr verity sign. (PPC64LE)");
    gpt("c3836a13-3137-45ba-b583-b16c50fe5eb4", "Linux /usr verity sign. (RISC-V-32)");
    gpt("d2f9000a-7a18-453f-b5cd-4d32f77a7b32", "Linux /usr verity sign. (RISC-V-64)");
    gpt("17440e4f-a8d0-467f-a46e-3912ae6ef2c5", "Linux /usr verity sign. (S390)");
    gpt("3f324816-667b-46ae-86ee-9b0c0c6c11b4", "Linux /usr verity sign. (S390X)");
    gpt("4ede75e2-6ccc-4cc8-b9c7-70334b087510", "Linux /usr verity sign. (TILE-Gx)");
    gpt("bc13c2ff-59e6-4262-a352-b275fd6f7172", "Linux extended boot");
    gpt("773f91ef-66d4-49b5-bd83-d683bf40ad16", "Linux user's home");
    gpt("516e7cb4-6ecf-11d6-8ff8-00022d09712b", "FreeBSD data");
    gpt("83bd6b9d-7f41-11dc-be0b-001560b84f0f", "FreeBSD boot");
    gpt("516e7cb5-6ecf-11d6-8ff8-00022d09712b", "FreeBSD swap");
    gpt("516e7cb6-6ecf-11d6-8ff8-00022d09712b", "FreeBSD UFS");
    gpt("516e7cba-6ecf-11d6-8ff8-00022d09712b", "FreeBSD ZFS");
    gpt("516e7cb8-6ecf-11d6-8ff8-00022d09712b", "FreeBSD Vinum");
    gpt("48465300-0000-11aa-aa11-00306543ecac", "Apple HFS/HFS+");
    gpt("7c3457ef-0000-11aa-aa11-00306543ecac", "Apple APFS");
    gpt("55465300-0000-11aa-aa11-00306543ecac", "Apple UFS");
    gpt("52414944-0000-11aa-aa11-00306543ecac", "Apple RAID");
    gpt("52414944-5f4f-11aa-aa11-00306543ecac", "Apple RAID offline");
    gpt("426f6f74-0000-11aa-aa11-00306543ecac", "Apple boot");
    gpt("4c616265-6c00-11aa-aa11-00306543ecac", "Apple label");
    gpt("5265636f-7665-11aa-aa11-00306543ecac", "Apple TV recovery");
    gpt("53746f72-6167-11aa-aa11-00306543ecac", "Apple Core storage");
    gpt("69646961-6700-11aa-aa11-00306543ecac", "Apple Silicon boot");
    gpt("52637672-7900-11aa-aa11-00306543ecac", "Apple Silicon recovery");
    gpt("6a82cb45-1dd2-11b2-99a6-080020736631", "Solaris boot");
    gpt("6a85cf4d-1dd2-11b2-99a6-080020736631", "Solaris root");
    gpt("6a898cc3-1dd2-11b2-99a6-080020736631", "Solaris /usr & Apple ZFS");
    gpt("6a87c46f-1dd2-11b2-99a6-080020736631", "Solaris swap");
    gpt("6a8b642b-1dd2-11b2-99a6-080020736631", "Solaris backup");
    gpt("6a8ef2e9-1dd2-11b2-99a6-080020736631", "Solaris /var");
    gpt("6a90ba39-1dd2-11b2-99a6-080020736631", "Solaris /home");
    gpt("6a9283a5-1dd2-11b2-99a6-080020736631", "Solaris alternate sector");
    gpt("6a945a3b-1dd2-11b2-99a6-080020736631", "Solaris reserved 1");
    gpt("6a9630d1-1dd2-11b2-99a6-080020736631", "Solaris reserved 2");
    gpt("6a980767-1dd2-11b2-99a6-080020736631", "Solaris reserved 3");
    gpt("6a96237f-1dd2-11b2-99a6-080020736631", "Solaris reserved 4");
    gpt("6a8d2ac7-1dd2-11b2-99a6-080020736631", "Solaris reserved 5");
    gpt("49f48d32-b10e-11dc-b99b-0019d1879648", "NetBSD swap");
    gpt("49f48d5a-b10e-11dc-b99b-0019d1879648", "NetBSD FFS");
    gpt("49f48d82-b10e-11dc-b99b-0019d1879648", "NetBSD LFS");
    gpt("2db519c4-b10f-11dc-b99b-0019d1879648", "NetBSD concatenated");
    gpt("2db519ec-b10f-11dc-b99b-0019d1879648", "NetBSD encrypted");
    gpt("49f48daa-b10e-11dc-b99b-0019d1879648", "NetBSD RAID");
    gpt("fe3a2a5d-4f32-41a7-b725-accc3285a309", "ChromeOS kernel");
    gpt("3cb8e202-3b7e-47dd-8a3c-7ff2a13cfcec", "ChromeOS root fs");
    gpt("2e0a753d-9e48-43b0-8337-b15192cb1b5e", "ChromeOS reserved");
    gpt("85d5e45a-237c-11e1-b4b3-e89a8f7fc3a7", "MidnightBSD data");
    gpt("85d5e45e-237c-11e1-b4b3-e89a8f7fc3a7", "MidnightBSD boot");
    gpt("85d5e45b-237c-11e1-b4b3-e89a8f7fc3a7", "MidnightBSD swap");
    gpt("0394ef8b-237e-11e1-b4b3-e89a8f7fc3a7", "MidnightBSD UFS");
    gpt("85d5e45d-237c-11e1-b4b3-e89a8f7fc3a7", "MidnightBSD ZFS");
    gpt("85d5e45c-237c-11e1-b4b3-e89a8f7fc3a7", "MidnightBSD Vinum");
    gpt("45b0969e-9b03-4f30-b4c6-b4b80ceff106", "Ceph Journal");
    gpt("45b0969e-9b03-4f30-b4c6-5ec00ceff106", "Ceph Encrypted Journal");
    gpt("4fbd7e29-9d25-41b8-afd0-062c0ceff05d", "Ceph OSD");
    gpt("4fbd7e29-9d25-41b8-afd0-5ec00ceff05d", "Ceph crypt OSD");
    gpt("89c57f98-2fe5-4dc0-89c1-f3ad0ceff2be", "Ceph disk in creation");
    gpt("89c57f98-2fe5-4dc0-89c1-5ec00ceff2be", "Ceph crypt disk in creation");
    gpt("aa31e02a-400f-11db-9590-000c2911d1b8", "VMware VMFS");
    gpt("9d275380-40ad-11db-bf97-000c2911d1b8", "VMware Diagnostic");
    gpt("381cfccc-7288-11e0-92ee-000c2911d0b2", "VMware Virtual SAN");
    gpt("77719a0c-a4a0-11e3-a47e-000c29745a24", "VMware Virsto");
    gpt("9198effc-31c0-11db-8f78-000c2911d1b8", "VMware Reserved");
    gpt("824cc7a0-36a8-11e3-890a-952519ad3f61", "OpenBSD data");
    gpt("cef5a9ad-73bc-4601-89f3-cdeeeee321a1", "QNX6 file system");
    gpt("c91818f9-8025-47af-89d2-f030d7000c2c", "Plan 9 partition");
    gpt("5b193300-fc78-40cd-8002-e86c45580b47", "HiFive FSBL");
    gpt("2e54b353-1271-4842-806f-e436d6af6985", "HiFive BBL");
    gpt("42465331-3ba3-10f1-802a-4861696b7521", "Haiku BFS");
    gpt("6828311a-ba55-42a4-bcde-a89bb5edecae", "Marvell Armada 3700 Boot partition");
  }

  // GPT type GUIDs that util-linux 2.38 does not name, with GPT fdisk's names (parttypes.cc).
  static {
    gpt("558d43c5-a1ac-43c0-aac8-d1472b2923d1", "Microsoft Storage Replica");
    gpt("90b6ff38-b98f-4358-a21f-48f35b4a8ad3", "ArcaOS Type 1");
    gpt("7ffec5c9-2d00-49b7-8941-3ea10a5586b7", "Linux dm-crypt");
    gpt("ca7d7ccb-63ed-4c53-861c-1742536059cc", "Linux LUKS");
    gpt("7c5222bd-8f5d-4087-9c00-bf9843c7b58c", "SPDK block device");
    gpt("5dfbf5f4-2848-4bac-aa5e-0d9a20b745a6", "Container Linux /usr");
    gpt("3884dd41-8582-4404-b9a8-e9b84f2df50e", "Container Linux resizable rootfs");
    gpt("c95dc21a-df0e-4340-8d7b-26cbfa9a03e0", "Container Linux /OEM customizations");
    gpt("be9067b9-ea49-4f15-b4f6-f36f8c9e1818", "Container Linux root on RAID");
    gpt("cab6e88e-abf3-4102-a07a-d4bb9be3c1d3", "ChromeOS firmware");
    gpt("09845860-705f-4bb5-b16c-8a8a099caf52", "ChromeOS mini-OS");
    gpt("3f0f8318-f146-4e6b-8222-c28c8f02e0d5", "ChromeOS hibernate");
    gpt("2568845d-2332-4675-bc39-8fa5a4748d15", "Android bootloader");
    gpt("114eaffe-1552-4022-b26e-9b053604cf84", "Android bootloader 2");
    gpt("49a4d17f-93a3-45c1-a0de-f50b2ebe2599", "Android boot 1");
    gpt("4177c722-9e92-4aab-8644-43502bfd5506", "Android recovery 1");
    gpt("ef32a33b-a409-486c-9141-9ffb711f6266", "Android misc");
    gpt("20ac26be-20b7-11e3-84c5-6cfdb94711e9", "Android metadata");
    gpt("38f428e6-d326-425d-9140-6e0ea133647c", "Android system 1");
    gpt("a893ef21-e428-470a-9e55-0668fd91a2d9", "Android cache");
    gpt("dc76dda9-5ac1-491c-af42-a82591580c0d", "Android data");
    gpt("ebc597d0-2053-4b15-8b64-e0aac75f4db1", "Android persistent");
    gpt("8f68cc74-c5e5-48da-be91-a0c8c15e9c80", "Android factory");
    gpt("767941d0-2085-11e3-ad3b-6cfdb94711e9", "Android fastboot/tertiary");
    gpt("ac6d7924-eb71-4df8-b48d-e267b27148ff", "Android OEM");
    gpt("c5a0aeec-13ea-11e5-a1b1-001e67ca0c3c", "Android vendor");
    gpt("bd59408b-4514-490d-bf12-9878d963f378", "Android config");
    gpt("9fdaa6ef-4b3f-40d2-ba8d-bff16bfb887b", "Android factory (alt)");
    gpt("19a710a2-b3ca-11e4-b026-10604b889dcf", "Android meta");
    gpt("193d1ea4-b3ca-11e4-b075-10604b889dcf", "Android EXT");
    gpt("dea0ba2c-cbdd-4805-b4f9-f428251c3e98", "Android SBL1");
    gpt("8c6b52ad-8a9e-4398-ad09-ae916e53ae2d", "Android SBL2");
    gpt("05e044df-92f1-4325-b69e-374a82e97d6e", "Android SBL3");
    gpt("400ffdcd-22e0-47e7-9a23-f16ed9382388", "Android APPSBL");
    gpt("a053aa7f-40b8-4b1c-ba08-2f68ac71a4f4", "Android QSEE/tz");
    gpt("e1a6a689-0c8d-4cc6-b4e8-55a4320fbd8a", "Android QHEE/hyp");
    gpt("098df793-d712-413d-9d4e-89d711772228", "Android RPM");
    gpt("6c95e238-e343-4ba8-b489-8681ed22ad0b", "Android persist");
    gpt("ebbeadaf-22c9-e33b-8f5d-0e81686a68cb", "Android modem ST1");
    gpt("0a288b1f-22c9-e33b-8f5d-0e81686a68cb", "Android modem ST2");
    gpt("57b90a16-22c9-e33b-8f5d-0e81686a68cb", "Android FSC");
    gpt("638ff8e2-22c9-e33b-8f5d-0e81686a68cb", "Android FSG 1");
    gpt("2013373e-1ac4-4131-bfd8-b6a7ac638772", "Android FSG 2");
    gpt("2c86e742-745e-4fdd-bfd8-b6a7ac638772", "Android SSD");
    gpt("de7d4029-0f5b-41c8-ae7e-f6c023a02b33", "Android keystore");
    gpt("734e5afe-f61a-11e6-bc64-92361f002671", "Atari TOS basic data");
    gpt("74ba7dd9-a689-11e1-bd04-00e081286acf", "FreeBSD nandfs");
    gpt("b6fa30da-92d2-4a9a-96f1-871ec6486200", "Apple SoftRAID Status");
    gpt("2e313465-19b9-463f-8126-8a7993773801", "Apple SoftRAID Scratch");
    gpt("fa709c7e-65b1-4593-bfd5-e71d61de9b02", "Apple SoftRAID Volume");
    gpt("bbba6df5-f46f-4a89-8f59-8765b2727503", "Apple SoftRAID Cache");
    gpt("3de21764-95bd-54bd-a5c3-4abe786f38a8", "U-Boot boot loader");
    gpt("4778ed65-bf42-45fa-9c5b-287a1dc4aab1", "Barebox boot loader");
    gpt("0311fc50-01ca-4725-ad77-9adbb20ace98", "Acronis Secure Zone");
    gpt("8c8f8eff-ac95-4770-814a-21994f2dbc8f", "Veracrypt data");
    gpt("cafecafe-9b03-4f30-b4c6-b4b80ceff106", "Ceph block");
    gpt("30cd0809-c2b2-499c-8879-2d6b78529876", "Ceph block DB");
    gpt("5ce17fce-4087-4169-b7ff-056cc58473f9", "Ceph block write-ahead log");
    gpt("fb3aabf9-d25f-47cc-bf5e-721d1816496b", "Ceph lockbox for dm-crypt keys");
  }
}
