package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partview.testimages.IntegrationEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Extraction from real images of the conformance corpus (shared/corpus): every data partition that
 * lies inside its image must come out with the bytes at the manifest's start and size.
 */
class ExtractCorpusIT {
  @TempDir Path dir;

  static Path corpus() {
    for (String c :
        new String[] {
          System.getProperty("partview.corpus"),
          System.getenv("PARTVIEW_CORPUS"),
          "/work/shared/corpus"
        }) {
      if (c != null && Files.isRegularFile(Path.of(c, "manifest.json"))) return Path.of(c);
    }
    if (IntegrationEnvironment.underCi()) throw new AssertionError("no shared/corpus under CI");
    System.out.println("SKIPPED: the corpus (shared/corpus) is absent");
    Assumptions.assumeTrue(false, "the corpus (shared/corpus) is absent");
    return null;
  }

  static JsonNode entry(Path corpus, String file) throws Exception {
    for (JsonNode e : new ObjectMapper().readTree(corpus.resolve("manifest.json").toFile())) {
      if (e.get("file").asText().equals(file)) return e;
    }
    throw new AssertionError("not in the manifest: " + file);
  }

  /** Decompresses with xz (as the corpus README says) into the test's directory. */
  Path decompress(Path corpus, String file) throws Exception {
    IntegrationEnvironment.requireTool("xz");
    Path img = dir.resolve(Path.of(file).getFileName().toString().replaceFirst("\\.xz$", ""));
    Processes.tool("sh", "-c", "xz -dc '" + corpus.resolve(file) + "' > '" + img + "'");
    return img;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "images/dftt/ext-part-test-2.dd.xz", // DOS, extended chain, real filesystems
        "images/dfvfs/mbr.raw.xz",
        "images/mbrman/disk2.img.xz", // logicals
        "images/util-linux/gpt.img.xz",
        "images/coreos-installer/gpt-4096.img.xz", // 4096-byte sectors
        "images/gptman/disk2.img.xz" // 4096-byte sectors
      })
  void everyPartitionInsideTheImageComesOutExactly(String file) throws Exception {
    Path corpus = corpus();
    JsonNode e = entry(corpus, file);
    Path img = decompress(corpus, file);
    assertThat(Processes.sha256(img)).isEqualTo(e.get("sha256_uncompressed").asText());
    long size = Files.size(img);
    Set<Integer> beyond = new HashSet<>();
    e.path("partitions_beyond_image_end").forEach(n -> beyond.add(n.asInt()));
    int checked = 0;
    for (JsonNode p : e.get("partitions")) {
      int n = p.get("number").asInt();
      long start = p.get("start_bytes").asLong();
      long len = p.get("size_bytes").asLong();
      Path out = dir.resolve("p" + n);
      CliTest.Run r =
          CliTest.run("extract", img.toString(), "p" + n, "-o", out.toString(), "--sha256");
      if ("extended".equals(p.path("kind").asText())) {
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        continue;
      }
      if (beyond.contains(n) || start + len > size) {
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_TABLE);
        continue;
      }
      assertThat(r.code()).as(file + " p" + n + ": " + r.err()).isZero();
      String expected = Processes.sha256(img, start, len);
      assertThat(r.out().strip()).isEqualTo(expected + "  " + out);
      assertThat(Processes.sha256(out)).isEqualTo(expected);
      assertThat(Files.size(out)).isEqualTo(len);
      Files.delete(out);
      checked++;
    }
    assertThat(checked).as("partitions checked in " + file).isPositive();
  }

  @Test
  void aTruncatedImageRefusesPartitionsPastItsEndNamingTheOffsets() throws Exception {
    Path corpus = corpus();
    String file = "images/dissect/gpt.bin.xz";
    JsonNode e = entry(corpus, file);
    Path img = decompress(corpus, file);
    JsonNode p1 = e.get("partitions").get(0);
    CliTest.Run r =
        CliTest.run(
            "extract",
            img.toString(),
            "p" + p1.get("number").asInt(),
            "-o",
            dir.resolve("x").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_TABLE);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err())
        .contains("gpt.bin")
        .contains(Long.toString(p1.get("start_bytes").asLong()))
        .contains(Long.toString(Files.size(img)));
    assertThat(List.of(dir.toFile().list())).containsExactly("gpt.bin");
  }
}
