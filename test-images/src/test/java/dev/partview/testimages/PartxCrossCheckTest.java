package dev.partview.testimages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libblkid (through partx) numbers every data entry of an EBR, as the kernel does — the numbering
 * the builder promises and the one sfdisk does not follow.
 */
class PartxCrossCheckTest {
  private static final Pattern PAIR = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  @TempDir Path dir;

  @BeforeEach
  void needsPartx() {
    IntegrationEnvironment.requireTool("partx");
  }

  @Test
  void ebrWithTwoDataEntriesYieldsTwoLogicals() throws Exception {
    DiskImageBuilder b = SfdiskCrossCheckTest.twoDataEntryEbr();
    assertThat(partx(b.writeTo(dir.resolve("two.img")))).containsExactlyElementsOf(expected(b));
    assertThat(b.expectedPartitions()).extracting(ExpectedPartition::number).contains(5, 6, 7);
  }

  @Test
  void legacyMbrAt63WithThreeLogicals() throws Exception {
    DiskImageBuilder b = MbrImageTest.legacy();
    assertThat(partx(b.writeTo(dir.resolve("legacy.img")))).containsExactlyElementsOf(expected(b));
  }

  /** partx counts START and SECTORS in 512-byte units whatever the sector size. */
  private static List<String> partx(Path image) throws Exception {
    Tool t =
        Tool.ok("partx", "--pairs", "--bytes", "-o", "NR,START,SECTORS,TYPE", image.toString());
    List<String> out = new ArrayList<>();
    for (String line : t.out().lines().toList()) {
      Matcher m = PAIR.matcher(line);
      java.util.Map<String, String> f = new java.util.HashMap<>();
      while (m.find()) f.put(m.group(1), m.group(2));
      out.add(
          line(
              Integer.parseInt(f.get("NR")),
              Long.parseLong(f.get("START")) * 512,
              Long.parseLong(f.get("SECTORS")) * 512,
              ExpectedPartition.mbrType(Integer.decode(f.get("TYPE")))));
    }
    return out;
  }

  private static List<String> expected(DiskImageBuilder b) {
    List<String> out = new ArrayList<>();
    for (ExpectedPartition p : b.expectedPartitions()) {
      out.add(line(p.number(), p.start(), p.size(), p.type()));
    }
    return out;
  }

  private static String line(int number, long start, long size, String type) {
    return String.format(Locale.ROOT, "p%d start=%d size=%d type=%s", number, start, size, type);
  }
}
