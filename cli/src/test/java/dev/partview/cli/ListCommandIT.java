package dev.partview.cli;

import static dev.partview.cli.CliRun.run;
import static dev.partview.cli.ListJsonFields.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partview list} and {@code offset} on images made by sfdisk, sgdisk, mkfs.* and xorriso:
 * golden listings, the JSON against {@code sfdisk --json}, ISO images with and without a table.
 */
class ListCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  // ---- golden listings ------------------------------------------------------------------------

  @Test
  void legacyMbrWithLogicalsListsLikeTheGolden() throws Exception {
    assertGolden(TestDisks.legacyMbr(dir).image(), "legacy-mbr.txt");
  }

  @Test
  void gptWithUnicodeNamesListsLikeTheGolden() throws Exception {
    assertGolden(TestDisks.unicodeGpt(dir).image(), "gpt-unicode.txt");
  }

  @Test
  void gptWith4096ByteSectorsListsLikeTheGolden() throws Exception {
    assertGolden(TestDisks.gpt4k(dir).image(), "gpt-4k.txt");
  }

  private void assertGolden(Path image, String golden) throws IOException {
    CliRun r = run("list", image.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    String actual = r.out().replace(dir + "/", "");
    String resource = "golden/" + golden;
    if (Boolean.getBoolean("partview.updateGolden")) {
      Path src = Path.of("src/test/resources/dev/partview/cli", resource);
      Files.writeString(src, actual);
    }
    try (InputStream in = ListCommandIT.class.getResourceAsStream(resource)) {
      assertThat(in).as("golden file " + resource).isNotNull();
      assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  // ---- JSON: the contract's field names, and the same numbers as sfdisk ------------------------

  @Test
  void jsonAgreesWithSfdiskOnTheLegacyMbr() throws Exception {
    assertAgreesWithSfdisk(TestDisks.legacyMbr(dir));
  }

  @Test
  void jsonAgreesWithSfdiskOnTheUnicodeGpt() throws Exception {
    assertAgreesWithSfdisk(TestDisks.unicodeGpt(dir));
  }

  @Test
  void jsonAgreesWithSfdiskOn4kSectors() throws Exception {
    assertAgreesWithSfdisk(TestDisks.gpt4k(dir));
  }

  /** start, size, type, uuid and name of every partition, as sfdisk reports them. */
  private static void assertAgreesWithSfdisk(TestDisks.Disk disk) throws IOException {
    CliRun r = run("list", "--json", disk.image().toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode ours = JSON.readTree(r.out());
    JsonNode theirs = JSON.readTree(disk.sfdiskJson()).get("partitiontable");
    int ss = theirs.get("sectorsize").asInt();
    assertThat(ours.get("table").asText()).isEqualTo(theirs.get("label").asText());
    assertThat(ours.get("diskId").asText()).isEqualToIgnoringCase(theirs.get("id").asText());
    assertThat(ours.get("sectorSize").asInt()).isEqualTo(ss);

    List<String> expected = new ArrayList<>();
    for (JsonNode p : theirs.get("partitions")) {
      String node = p.get("node").asText();
      String number = node.replaceAll(".*?(\\d+)$", "$1");
      String type = p.get("type").asText().toLowerCase(Locale.ROOT);
      if (type.length() <= 2)
        type = String.format(Locale.ROOT, "0x%02x", Integer.parseInt(type, 16));
      expected.add(
          String.join(
              " ",
              number,
              Long.toString(p.get("start").asLong() * ss),
              Long.toString(p.get("size").asLong() * ss),
              type,
              text(p, "uuid").toLowerCase(Locale.ROOT),
              text(p, "name"),
              Boolean.toString(
                  p.path("bootable").asBoolean(false)
                      || text(p, "attrs").contains("LegacyBIOSBootable"))));
    }
    List<String> actual = new ArrayList<>();
    for (JsonNode p : ours.get("partitions")) {
      actual.add(
          String.join(
              " ",
              p.get("number").asText(),
              p.get("start").asText(),
              p.get("size").asText(),
              p.get("type").asText(),
              text(p, "uuid"),
              text(p, "label"),
              p.get("bootable").asText()));
      assertThat(p.get("end").asLong())
          .isEqualTo(p.get("start").asLong() + p.get("size").asLong() - 1);
      assertThat(p.get("startSector").asLong() * ss).isEqualTo(p.get("start").asLong());
      assertThat(p.get("sectors").asLong() * ss).isEqualTo(p.get("size").asLong());
    }
    assertThat(actual).isEqualTo(expected);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  @Test
  void jsonHasTheContractFieldNamesAndTheFilesystems() throws Exception {
    Path img = TestDisks.legacyMbr(dir).image();
    CliRun r = run("list", "--json", img.toString());
    assertThat(r.code()).isZero();
    JsonNode j = JSON.readTree(r.out());
    assertThat(names(j)).containsSubsequence(ListJsonFields.TOP);
    assertThat(j.get("image").asText()).isEqualTo(img.toString());
    assertThat(j.get("size").asLong()).isEqualTo(Files.size(img));
    assertThat(j.get("table").asText()).isEqualTo("dos");
    assertThat(j.get("diskId").asText()).isEqualTo("0x1234abcd");
    assertThat(j.get("diagnostics").isArray()).isTrue();
    JsonNode p1 = j.get("partitions").get(0);
    assertThat(names(p1)).containsSubsequence(ListJsonFields.PARTITION);
    assertThat(p1.get("label").isNull()).isTrue();
    assertThat(p1.get("uuid").isNull()).isTrue();
    assertThat(p1.get("start").asLong()).isEqualTo(32256);
    assertThat(p1.get("typeName").asText()).isEqualTo("Linux");
    assertThat(p1.get("bootable").asBoolean()).isTrue();
    assertThat(names(p1.get("filesystem"))).contains("type", "label", "uuid");
    assertThat(p1.get("filesystem").get("type").asText()).isEqualTo("ext4");
    assertThat(p1.get("filesystem").get("label").asText()).isEqualTo("legacyroot");
    assertThat(p1.get("filesystem").get("uuid").asText())
        .isEqualTo("6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    JsonNode p2 = j.get("partitions").get(1);
    assertThat(p2.get("kind").asText()).isEqualTo("extended");
    assertThat(p2.get("type").asText()).isEqualTo("0x05");
    assertThat(p2.get("filesystem").isNull()).isTrue();
    assertThat(j.get("partitions").get(2).get("kind").asText()).isEqualTo("logical");
    assertThat(j.get("partitions").get(2).get("filesystem").get("type").asText()).isEqualTo("swap");
    assertThat(j.get("partitions").get(3).get("filesystem").get("uuid").asText())
        .isEqualTo("0BAD-CAFE");
  }

  // ---- ISO images -------------------------------------------------------------------------------

  @Test
  void aPlainIsoHasNoTableButTheWholeImageIsAnIso9660() throws Exception {
    Path iso = TestDisks.iso(dir, "plain");
    CliRun text = run("list", iso.toString());
    assertThat(text.code()).isEqualTo(ExitCodes.BAD_TABLE);
    assertThat(text.out())
        .startsWith(iso + ": " + Files.size(iso) + " bytes (")
        .contains("no partition table")
        .contains("whole image: iso9660 \"PLAIN\"")
        .contains("disk file of a partview mount");
    assertThat(text.err().lines().toList())
        .containsExactly(
            "partview: "
                + iso
                + ": MBR: no partition table: no 0x55AA boot signature at offset 510");

    CliRun json = run("list", "--json", iso.toString());
    assertThat(json.code()).isEqualTo(ExitCodes.BAD_TABLE);
    assertThat(json.err().lines()).hasSize(1);
    JsonNode j = JSON.readTree(json.out());
    assertThat(j.get("table").isNull()).isTrue();
    assertThat(j.get("partitions").size()).isZero();
    assertThat(j.get("filesystem").get("type").asText()).isEqualTo("iso9660");
    assertThat(j.get("filesystem").get("label").asText()).isEqualTo("PLAIN");
    assertThat(j.get("error").get("kind").asText()).isEqualTo("no_table");
    assertThat(j.get("error").get("offset").asLong()).isEqualTo(510);
  }

  @Test
  void aHybridIsoWithGptListsIn512ByteSectors() throws Exception {
    // grub-mkrescue's layout: the ISO 9660 tree as GPT partition 1 (from 32 KiB), an appended
    // EFI system partition as partition 2. ISO 9660 blocks are 2048 bytes; the table counts 512.
    Path iso =
        TestDisks.iso(
            dir,
            "hybridgpt",
            "-partition_offset",
            "16",
            "-append_partition",
            "2",
            "0xef",
            "EFI_IMG",
            "-appended_part_as_gpt");
    CliRun r = run("list", "--json", iso.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("table").asText()).isEqualTo("gpt");
    assertThat(j.get("sectorSize").asInt()).isEqualTo(512);
    assertThat(j.get("sectorSizeSource").asText()).isEqualTo("GPT header found at byte 512");
    assertThat(j.get("filesystem").get("type").asText()).isEqualTo("iso9660");
    JsonNode p1 = j.get("partitions").get(0);
    assertThat(p1.get("start").asLong()).isEqualTo(16 * 2048);
    assertThat(p1.get("filesystem").get("type").asText()).isEqualTo("iso9660");
    assertThat(p1.get("filesystem").get("label").asText()).isEqualTo("HYBRIDGPT");
    JsonNode p2 = j.get("partitions").get(1);
    assertThat(p2.get("typeName").asText()).isEqualTo("EFI System");
    assertThat(p2.get("size").asLong()).isEqualTo(1440 << 10);
    assertThat(p2.get("filesystem").get("type").asText()).isEqualTo("vfat");
    assertThat(p2.get("filesystem").get("label").asText()).isEqualTo("EFIBOOT");
    assertAgreesWithSfdisk(
        new TestDisks.Disk(iso, Tool.ok("sfdisk", "--json", iso.toString()).out()));
  }

  @Test
  void anIsohybridMbrListsIn512ByteSectors() throws Exception {
    // The isolinux/Debian layout: an MBR from isohdpfx.bin plus -isohybrid-gpt-basdat.
    Path mbr = Path.of("/usr/lib/ISOLINUX/isohdpfx.bin");
    if (!Files.exists(mbr)) {
      if (IntegrationEnvironment.underCi()) throw new AssertionError(mbr + " missing (isolinux)");
      org.junit.jupiter.api.Assumptions.assumeTrue(
          false, mbr + " missing (apt-get install isolinux)");
    }
    Path iso =
        TestDisks.iso(
            dir,
            "isohybrid",
            "-isohybrid-mbr",
            mbr.toString(),
            "-e",
            "efi.img",
            "-no-emul-boot",
            "-isohybrid-gpt-basdat");
    CliRun r = run("list", "--json", iso.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("table").asText()).isEqualTo("dos");
    assertThat(j.get("sectorSize").asInt()).isEqualTo(512);
    assertThat(j.get("filesystem").get("type").asText()).isEqualTo("iso9660");
    // The EFI image sits inside the ISO tree; its MBR entry counts 512-byte sectors. (Entry 1, the
    // whole ISO from byte 0 with type 0x00, is a partition to Linux and sfdisk because its size is
    // not 0; the reader treats type 0x00 as empty, so it is not asserted here.)
    JsonNode efi = null;
    for (JsonNode p : j.get("partitions")) if (p.get("type").asText().equals("0xef")) efi = p;
    assertThat(efi).as(r.out()).isNotNull();
    assertThat(efi.get("filesystem").get("type").asText()).isEqualTo("vfat");
    assertThat(efi.get("filesystem").get("label").asText()).isEqualTo("EFIBOOT");
    assertThat(efi.get("start").asLong() % 2048).isZero();
  }

  // ---- offset: the number mount -o loop,offset= needs -----------------------------------------

  @Test
  void offsetPrintsTheBytesMountNeeds() throws Exception {
    Path img = TestDisks.unicodeGpt(dir).image();
    assertThat(run("offset", img.toString(), "p1").out()).isEqualTo("1048576\n");
    assertThat(run("offset", img.toString(), "1", "--size").out()).isEqualTo("8388608\n");
    assertThat(run("offset", img.toString(), "label:EFI ✓").out()).isEqualTo("9437184\n");
    assertThat(run("offset", img.toString(), "uuid:AAAAAAAA-0000-4000-8000-000000000004").out())
        .isEqualTo("13631488\n");
    Path legacy = TestDisks.legacyMbr(dir).image();
    assertThat(run("offset", legacy.toString(), "p6").out()).isEqualTo(24192L * 512 + "\n");
    CliRun missing = run("offset", legacy.toString(), "p3");
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err().lines().toList())
        .containsExactly(
            "partview: " + legacy + ": no partition p3 (the image has: p1, p2, p5, p6)");
    CliRun extended = run("offset", legacy.toString(), "p2");
    assertThat(extended.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(extended.err()).contains("extended partition");
  }

  @Test
  void offsetFeedsALoopMount() throws Exception {
    IntegrationEnvironment.requireLoop();
    IntegrationEnvironment.requireTool("mount");
    Path img = TestDisks.legacyMbr(dir).image();
    String offset = run("offset", img.toString(), "p1").out().strip();
    String size = run("offset", img.toString(), "p1", "--size").out().strip();
    Path mnt = Files.createDirectories(dir.resolve("mnt"));
    Tool.ok(
        "mount",
        "-t",
        "ext4",
        "-o",
        "ro,loop,offset=" + offset + ",sizelimit=" + size,
        img.toString(),
        mnt.toString());
    try {
      assertThat(mnt.resolve("lost+found")).isDirectory();
      assertThat(Tool.ok("findmnt", "-n", "-o", "LABEL", mnt.toString()).out().strip())
          .isEqualTo("legacyroot");
    } finally {
      Tool.ok("umount", mnt.toString()); // the loop was set up AUTOCLEAR by mount
    }
  }

  // ---- without libblkid ------------------------------------------------------------------------

  @Test
  void withoutLibblkidTheFsColumnIsLeftOutAndVerboseSaysWhy() throws Exception {
    Path jar = Path.of("target/partview.jar");
    assertThat(jar).as("the shaded jar is built before integration tests").exists();
    Path img = TestDisks.legacyMbr(dir).image();
    List<String> cmd = Processes.javaCommand();
    cmd.addAll(
        List.of(
            "-Dpartview.libblkid=libpartview-no-such-library.so.1",
            "-jar",
            jar.toString(),
            "list",
            "--verbose",
            img.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    assertThat(out)
        .contains("p1", "32256", "legacy.img")
        .doesNotContain(" FS")
        .doesNotContain("ext4");
    assertThat(err.lines().toList())
        .singleElement()
        .asString()
        .startsWith("partview: note: filesystems not probed: libpartview-no-such-library.so.1");
  }
}
