package dev.partview.cli;

import static dev.partview.cli.CliRun.run;
import static dev.partview.cli.ListJsonFields.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every image of the conformance corpus ({@code shared/corpus}) through {@code list --json} and
 * {@code list}: exit 0 with a table or 3 with exactly one line on stderr, never a stack trace, the
 * contract's JSON fields, and for DOS/GPT images the same table, sector size, disk id and
 * partitions as the corpus manifest expects (BSD sub-partitions nested in an MBR slice aside:
 * partview does not read nested labels).
 */
class CorpusListIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;

  @TestFactory
  Stream<DynamicTest> everyCorpusImageListsOrExits3WithOneLine() throws IOException {
    Path corpus = findCorpus();
    JsonNode manifest = JSON.readTree(corpus.resolve("manifest.json").toFile());
    assertThat(manifest.size()).isGreaterThanOrEqualTo(40);
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode entry : manifest) {
      String file = entry.get("file").asText();
      tests.add(DynamicTest.dynamicTest(file, () -> check(corpus, entry)));
    }
    return tests.stream();
  }

  private static void check(Path corpus, JsonNode entry) throws Exception {
    String file = entry.get("file").asText();
    Path image = dir.resolve(file.replace('/', '_').replaceAll("\\.xz$", ""));
    decompress(corpus.resolve(file), image);
    try {
      assertThat(Files.size(image)).isEqualTo(entry.get("uncompressed_size").asLong());
      CliRun json = run("list", "--json", image.toString());
      CliRun text = run("list", image.toString());
      for (CliRun r : List.of(json, text)) {
        assertThat(r.code()).as(r.err()).isIn(ExitCodes.OK, ExitCodes.BAD_TABLE);
        assertThat(r.out() + r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        if (r.code() == ExitCodes.OK) {
          assertThat(r.err()).isEmpty();
        } else {
          assertThat(r.err().lines().toList())
              .singleElement()
              .asString()
              .startsWith("partview: " + image + ": ")
              .containsPattern(" at offset \\d+$");
        }
      }
      assertThat(text.code()).isEqualTo(json.code());
      assertThat(text.out()).startsWith(image + ": " + Files.size(image) + " bytes");

      JsonNode j = JSON.readTree(json.out());
      assertThat(names(j)).containsAll(ListJsonFields.TOP);
      for (JsonNode p : j.get("partitions"))
        assertThat(names(p)).containsAll(ListJsonFields.PARTITION);
      String expectedTable = entry.get("table").isNull() ? null : entry.get("table").asText();
      if (expectedTable == null) {
        assertThat(json.code()).isEqualTo(ExitCodes.BAD_TABLE);
        assertThat(j.get("table").isNull()).isTrue();
        assertThat(text.out()).contains("no partition table");
      } else if (expectedTable.equals("dos") || expectedTable.equals("gpt")) {
        assertThat(json.code()).isZero();
        assertAsManifest(j, entry);
      } else {
        // Sun, SGI, BSD, Atari, DASD, Apple: not read by partview, and never mistaken for MBR/GPT.
        assertThat(json.code()).isEqualTo(ExitCodes.BAD_TABLE);
        assertThat(j.get("table").isNull()).isTrue();
      }
    } finally {
      Files.deleteIfExists(image);
    }
  }

  private static void assertAsManifest(JsonNode j, JsonNode entry) {
    assertThat(j.get("table").asText()).isEqualTo(entry.get("table").asText());
    assertThat(j.get("sectorSize").asInt()).isEqualTo(entry.get("sector_size").asInt());
    assertThat(j.get("diskId").asText()).isEqualToIgnoringCase(entry.get("disk_id").asText());
    Map<Integer, JsonNode> ours = new HashMap<>();
    for (JsonNode p : j.get("partitions")) ours.put(p.get("number").asInt(), p);
    List<String> expected = new ArrayList<>();
    List<String> actual = new ArrayList<>();
    for (JsonNode p : entry.get("partitions")) {
      if (p.has("nested_in")) continue;
      int n = p.get("number").asInt();
      expected.add(
          line(
              n,
              p.get("start_bytes"),
              p.get("size_bytes"),
              p.get("type"),
              p.get("uuid"),
              p.get("name"),
              p.get("kind")));
      JsonNode o = ours.remove(n);
      if (o == null) continue;
      actual.add(
          line(
              n,
              o.get("start"),
              o.get("size"),
              o.get("type"),
              o.get("uuid"),
              o.get("label"),
              p.has("kind") ? o.get("kind") : null));
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(ours.keySet()).as("partitions the manifest does not expect").isEmpty();
  }

  private static String line(int n, JsonNode... fields) {
    StringBuilder b = new StringBuilder("p" + n);
    for (JsonNode f : fields) b.append(" | ").append(f == null || f.isNull() ? "-" : f.asText());
    return b.toString();
  }

  /**
   * The corpus: the {@code partview.corpus} property (set by the build to {@code ../shared/corpus}
   * beside the checkout), else a {@code shared/corpus} in a parent directory (worktrees).
   */
  private static Path findCorpus() {
    String prop = System.getProperty("partview.corpus");
    if (prop != null && Files.isRegularFile(Path.of(prop, "manifest.json"))) return Path.of(prop);
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path c = p.resolve("shared/corpus");
      if (Files.isRegularFile(c.resolve("manifest.json"))) return c;
    }
    String reason = "corpus not found (partview.corpus=" + prop + ", no shared/corpus above)";
    System.out.println("SKIPPED: " + reason);
    Assumptions.assumeTrue(false, reason);
    return null;
  }

  /** {@code xz -dc}, writing holes where the data is zeros (several images are mostly zeros). */
  private static void decompress(Path xz, Path out) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("xz", "-dc", xz.toString()).start();
    long size = 0;
    try (InputStream in = p.getInputStream();
        RandomAccessFile f = new RandomAccessFile(out.toFile(), "rw")) {
      f.setLength(0);
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
        boolean zero = true;
        for (int i = 0; i < n && zero; i++) zero = buf[i] == 0;
        if (!zero) {
          f.seek(size);
          f.write(buf, 0, n);
        }
        size += n;
      }
      f.setLength(size);
    }
    String err =
        new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("xz -dc " + xz + ": " + err).isZero();
  }
}
