package dev.partview.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartitionTypeNamesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0x01|FAT12",
        "0x05|Extended",
        "0x07|HPFS/NTFS/exFAT",
        "0x0b|W95 FAT32",
        "0x0c|W95 FAT32 (LBA)",
        "0x0f|W95 Ext'd (LBA)",
        "0x27|Hidden NTFS WinRE",
        "0x82|Linux swap / Solaris",
        "0x83|Linux",
        "0x85|Linux extended",
        "0x8e|Linux LVM",
        "0xa5|FreeBSD",
        "0xaf|HFS / HFS+",
        "0xee|GPT",
        "0xef|EFI (FAT-12/16/32)",
        "0xfb|VMware VMFS",
        "0xfd|Linux raid autodetect",
      })
  void mbrCodesHaveSfdiskNames(String code, String name) {
    int c = Integer.decode(code);
    assertThat(new PartitionType.Mbr(c).displayName()).isEqualTo(name);
    assertThat(new PartitionType.Mbr(c).id()).isEqualTo(code);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "c12a7328-f81f-11d2-ba4b-00a0c93ec93b|EFI System",
        "21686148-6449-6e6f-744e-656564454649|BIOS boot",
        "024dee41-33e7-11d3-9d69-0008c781f39f|MBR partition scheme",
        "0fc63daf-8483-4772-8e79-3d69d8477de4|Linux filesystem",
        "4f68bce3-e8cd-4db1-96e7-fbcaf984b709|Linux root (x86-64)",
        "b921b045-1df0-41c3-af44-4c6f280d3fae|Linux root (ARM-64)",
        "8484680c-9521-48c6-9c11-b0720656f69e|Linux /usr (x86-64)",
        "933ac7e1-2eb4-4f13-b844-0e14e2aef915|Linux home",
        "3b8f8425-20e0-4f3b-907f-1a25a76f98e8|Linux server data",
        "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f|Linux swap",
        "e6d6d379-f507-44c2-a23c-238f2a3df928|Linux LVM",
        "a19d880f-05fc-4d3b-a006-743f0f84911e|Linux RAID",
        "ca7d7ccb-63ed-4c53-861c-1742536059cc|Linux LUKS",
        "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7|Microsoft basic data",
        "e3c9e316-0b5c-4db8-817d-f92df00215ae|Microsoft reserved",
        "5808c8aa-7e8f-42e0-85d2-e1e90434cfb3|Microsoft LDM metadata",
        "de94bba4-06d1-4d40-a16a-bfd50179d6ac|Windows recovery environment",
        "48465300-0000-11aa-aa11-00306543ecac|Apple HFS/HFS+",
        "7c3457ef-0000-11aa-aa11-00306543ecac|Apple APFS",
        "516e7cb6-6ecf-11d6-8ff8-00022d09712b|FreeBSD UFS",
        "fe3a2a5d-4f32-41a7-b725-accc3285a309|ChromeOS kernel",
        "aa31e02a-400f-11db-9590-000c2911d1b8|VMware VMFS",
        "6a898cc3-1dd2-11b2-99a6-080020736631|Solaris /usr & Apple ZFS",
        "dc76dda9-5ac1-491c-af42-a82591580c0d|Android data",
        "38f428e6-d326-425d-9140-6e0ea133647c|Android system 1",
      })
  void gptGuidsHaveSfdiskOrGdiskNames(String guid, String name) {
    PartitionType.Gpt t = new PartitionType.Gpt(UUID.fromString(guid));
    assertThat(t.displayName()).isEqualTo(name);
    assertThat(t.id()).isEqualTo(guid);
  }

  @Test
  void unknownCodesAreSaidToBeUnknown() {
    assertThat(new PartitionType.Mbr(0x13).displayName()).isEqualTo("unknown");
    assertThat(
            new PartitionType.Gpt(UUID.fromString("01234567-89ab-cdef-0123-456789abcdef"))
                .displayName())
        .isEqualTo("unknown");
  }

  @Test
  void theCatalogueCoversTheCommonLists() {
    // util-linux 2.38 names 101 MBR codes and 200 GPT types; GPT fdisk adds 59 more.
    assertThat(PartitionTypeNames.mbrCount()).isEqualTo(101);
    assertThat(PartitionTypeNames.gptCount()).isEqualTo(259);
  }
}
