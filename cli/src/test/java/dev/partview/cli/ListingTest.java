package dev.partview.cli;

import static dev.partview.cli.ListJsonFields.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partview.fuse.probe.Filesystem;
import dev.partview.table.Diagnostic;
import dev.partview.table.GptTable;
import dev.partview.table.MbrTable;
import dev.partview.table.Partition;
import dev.partview.table.PartitionKind;
import dev.partview.table.PartitionTableException;
import dev.partview.table.PartitionType;
import dev.partview.table.SectorSize;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The text and JSON renderings of a listing, from tables and filesystems built by hand. */
class ListingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final UUID LINUX = UUID.fromString("0fc63daf-8483-4772-8e79-3d69d8477de4");
  private static final UUID ESP = UUID.fromString("c12a7328-f81f-11d2-ba4b-00a0c93ec93b");

  static MbrTable mbr() {
    SectorSize ss = new SectorSize(512, "default (MBR holds no sector size)");
    return new MbrTable(
        0xdeadbeefL,
        ss,
        64L << 20,
        List.of(
            part(1, PartitionKind.PRIMARY, 2048, 8192, new PartitionType.Mbr(0x83), true, ss),
            part(2, PartitionKind.EXTENDED, 10240, 20480, new PartitionType.Mbr(0x0f), false, ss),
            part(5, PartitionKind.LOGICAL, 10241, 4096, new PartitionType.Mbr(0x82), false, ss)),
        List.of(Diagnostic.warning(1024, "something odd")));
  }

  static Partition part(
      int n,
      PartitionKind k,
      long lba,
      long sectors,
      PartitionType t,
      boolean boot,
      SectorSize ss) {
    return new Partition(
        n, k, lba, sectors, lba * ss.bytes(), sectors * ss.bytes(), t, null, null, boot, 0);
  }

  static GptTable gpt() {
    SectorSize ss = new SectorSize(4096, "GPT header found at byte 4096");
    return new GptTable(
        UUID.fromString("22222222-3333-4444-8555-666666666666"),
        ss,
        32L << 20,
        List.of(
            new Partition(
                1,
                PartitionKind.GPT,
                256,
                256,
                1 << 20,
                1 << 20,
                new PartitionType.Gpt(ESP),
                "EFI ✓",
                UUID.fromString("bbbbbbbb-0000-4000-8000-000000000001"),
                false,
                1L),
            new Partition(
                3,
                PartitionKind.GPT,
                512,
                1024,
                2 << 20,
                4 << 20,
                new PartitionType.Gpt(LINUX),
                "",
                UUID.fromString("bbbbbbbb-0000-4000-8000-000000000003"),
                true,
                1L << 2)),
        List.of(),
        false,
        false,
        6,
        8186);
  }

  /** disk.img, 64 MiB, the {@link #mbr} table, an ext4 in p1, and these probe problems. */
  static Listing mbrListing(Map<Integer, String> probeProblems) {
    return new Listing(
        "disk.img",
        64L << 20,
        mbr(),
        null,
        null,
        "libblkid 2.38.1",
        null,
        Map.of(1, new Filesystem("ext4", "root", "u-1", "filesystem")),
        probeProblems);
  }

  /** What the reader says about an image without a boot signature. */
  static PartitionTableException noTable() {
    return new PartitionTableException(
        PartitionTableException.Kind.NO_TABLE,
        "MBR",
        510,
        "no partition table: no 0x55AA boot signature");
  }

  static String text(Listing l) {
    StringWriter w = new StringWriter();
    ListingText.print(l, new PrintWriter(w));
    return w.toString();
  }

  @Test
  void mbrTextShowsKindBytesSectorsTypeBootAndFilesystems() {
    Listing l =
        mbrListing(
            Map.of(5, "libblkid: more than one signature in disk.img bytes 5243392..7340543"));
    assertThat(text(l))
        .isEqualTo(
            String.join(
                "\n",
                "disk.img: 67108864 bytes (64M), dos partition table, disk id 0xdeadbeef, sector"
                    + " size 512: default (MBR holds no sector size)",
                "",
                "NAME  KIND        START       END  SIZE            START SECTOR  SECTORS  TYPE"
                    + "                       BOOT  FS",
                "p1    primary   1048576   5242879   4194304 (4M)           2048     8192  0x83 Linux"
                    + "                 *     ext4 \"root\"",
                "p2    extended  5242880  15728639  10485760 (10M)         10240    20480  0x0f W95"
                    + " Ext'd (LBA)",
                "p5    logical   5243392   7340543   2097152 (2M)          10241     4096  0x82 Linux"
                    + " swap / Solaris        ?",
                "",
                "warning: something odd (offset 1024)",
                "note: p5: libblkid: more than one signature in disk.img bytes 5243392..7340543",
                ""));
  }

  @Test
  void gptTextHasLabelsAndUuidsAndNoFsColumnWithoutLibblkid() {
    Listing l = new Listing("d.img", 32L << 20, gpt(), null, 4096, null, null, Map.of(), Map.of());
    assertThat(text(l))
        .isEqualTo(
            String.join(
                "\n",
                "d.img: 33554432 bytes (32M), gpt partition table, disk id"
                    + " 22222222-3333-4444-8555-666666666666, sector size 4096: GPT header found at"
                    + " byte 4096",
                "",
                "NAME    START      END  SIZE          START SECTOR  SECTORS  TYPE"
                    + "                                                   BOOT  LABEL  UUID",
                "p1    1048576  2097151  1048576 (1M)           256      256 "
                    + " c12a7328-f81f-11d2-ba4b-00a0c93ec93b EFI System              EFI ✓ "
                    + " bbbbbbbb-0000-4000-8000-000000000001",
                "p3    2097152  6291455  4194304 (4M)           512     1024 "
                    + " 0fc63daf-8483-4772-8e79-3d69d8477de4 Linux filesystem  *           "
                    + " bbbbbbbb-0000-4000-8000-000000000003",
                ""));
  }

  @Test
  void withoutATableTextSaysSoAndShowsTheWholeImage() {
    PartitionTableException e = noTable();
    Filesystem iso = new Filesystem("iso9660", "DEBIAN", "2024-01-01-00-00-00-00", "filesystem");
    assertThat(text(new Listing("x.iso", 4096, null, e, null, "libblkid", iso, Map.of(), Map.of())))
        .isEqualTo(
            "x.iso: 4096 bytes (4K), no partition table\n"
                + "whole image: iso9660 \"DEBIAN\"\n"
                + "the whole image is the filesystem: use the image itself (or the disk file of a"
                + " partview mount), no offset needed\n");
    PartitionTableException corrupt =
        new PartitionTableException(
            PartitionTableException.Kind.CORRUPT, "GPT header at LBA 1", 512, "bad CRC");
    assertThat(
            text(
                new Listing(
                    "y.img", 1 << 20, null, corrupt, null, "libblkid", null, Map.of(), Map.of())))
        .isEqualTo(
            "y.img: 1048576 bytes (1M), no readable partition table\n"
                + "whole image: no filesystem signature found either\n");
  }

  @Test
  void jsonHasExactlyTheContractFieldsPlusTheDocumentedExtras() throws Exception {
    Listing l = mbrListing(Map.of());
    JsonNode j = JSON.readTree(ListingJson.render(l));
    assertThat(names(j))
        .containsExactlyElementsOf(
            concat(ListJsonFields.TOP, List.of("filesystem", "filesystemProbe")));
    assertThat(j.get("sectorSize").asInt()).isEqualTo(512);
    assertThat(j.get("sectorSizeSource").asText()).isEqualTo("default (MBR holds no sector size)");
    assertThat(j.get("table").asText()).isEqualTo("dos");
    assertThat(j.get("diskId").asText()).isEqualTo("0xdeadbeef");
    assertThat(j.get("filesystem").isNull()).isTrue();
    JsonNode p1 = j.get("partitions").get(0);
    assertThat(names(p1)).containsExactlyElementsOf(ListJsonFields.PARTITION);
    assertThat(p1.toString())
        .isEqualTo(
            "{\"number\":1,\"name\":\"p1\",\"kind\":\"primary\",\"start\":1048576,\"size\":4194304,"
                + "\"end\":5242879,\"startSector\":2048,\"sectors\":8192,\"type\":\"0x83\","
                + "\"typeName\":\"Linux\",\"label\":null,\"uuid\":null,\"bootable\":true,"
                + "\"filesystem\":{\"type\":\"ext4\",\"label\":\"root\",\"uuid\":\"u-1\","
                + "\"usage\":\"filesystem\"}}");
    assertThat(j.get("partitions").get(1).get("kind").asText()).isEqualTo("extended");
    assertThat(j.get("partitions").get(1).get("type").asText()).isEqualTo("0x0f");
    assertThat(j.get("partitions").get(2).get("filesystem").isNull()).isTrue();
    assertThat(j.get("diagnostics").toString())
        .isEqualTo("[{\"severity\":\"warning\",\"offset\":1024,\"message\":\"something odd\"}]");
  }

  @Test
  void jsonForGptAddsAttributesAndTheTableFlags() throws Exception {
    Listing l = new Listing("d.img", 32L << 20, gpt(), null, null, null, null, Map.of(), Map.of());
    JsonNode j = JSON.readTree(ListingJson.render(l));
    assertThat(names(j))
        .containsSubsequence(
            "diagnostics", "hybridMbr", "fromBackup", "firstUsableLba", "lastUsableLba");
    assertThat(j.get("filesystemProbe").isNull()).isTrue();
    assertThat(j.get("hybridMbr").asBoolean()).isFalse();
    assertThat(j.get("lastUsableLba").asLong()).isEqualTo(8186);
    JsonNode p3 = j.get("partitions").get(1);
    assertThat(p3.get("number").asInt()).isEqualTo(3);
    assertThat(p3.get("kind").asText()).isEqualTo("gpt");
    assertThat(p3.get("type").asText()).isEqualTo(LINUX.toString());
    assertThat(p3.get("typeName").asText()).isEqualTo("Linux filesystem");
    assertThat(p3.get("uuid").asText()).isEqualTo("bbbbbbbb-0000-4000-8000-000000000003");
    assertThat(p3.get("label").asText()).isEmpty();
    assertThat(p3.get("bootable").asBoolean()).isTrue();
    assertThat(p3.get("attributes").asText()).isEqualTo("0x0000000000000004");
    assertThat(p3.get("startSector").asLong()).isEqualTo(512);
    assertThat(p3.get("start").asLong()).isEqualTo(2 << 20);
    assertThat(j.get("partitions").get(0).get("label").asText()).isEqualTo("EFI ✓");
  }

  @Test
  void jsonWithoutATableHasNullTableEmptyPartitionsAndTheReason() throws Exception {
    PartitionTableException e = noTable();
    Filesystem iso = new Filesystem("iso9660", "DEBIAN", null, "filesystem");
    JsonNode j =
        JSON.readTree(
            ListingJson.render(
                new Listing("x.iso", 4096, null, e, 2048, "libblkid", iso, Map.of(), Map.of())));
    assertThat(j.get("table").isNull()).isTrue();
    assertThat(j.get("diskId").isNull()).isTrue();
    assertThat(j.get("partitions").isArray()).isTrue();
    assertThat(j.get("partitions").size()).isZero();
    assertThat(j.get("sectorSize").asInt()).isEqualTo(2048);
    assertThat(j.get("sectorSizeSource").asText()).isEqualTo("option");
    assertThat(j.get("filesystem").toString())
        .isEqualTo(
            "{\"type\":\"iso9660\",\"label\":\"DEBIAN\",\"uuid\":null,\"usage\":\"filesystem\"}");
    assertThat(j.get("diagnostics").get(0).get("severity").asText()).isEqualTo("error");
    assertThat(j.get("diagnostics").get(0).get("offset").asLong()).isEqualTo(510);
    assertThat(j.get("error").toString())
        .isEqualTo(
            "{\"kind\":\"no_table\",\"structure\":\"MBR\",\"offset\":510,\"message\":\"MBR: no"
                + " partition table: no 0x55AA boot signature at offset 510\"}");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
