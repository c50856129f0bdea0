package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction from images partitioned by sfdisk and sgdisk, checked against where {@code sfdisk
 * --json} says each partition lies. The images are random bytes first, so any off-by-a-sector
 * shows.
 */
class ExtractToolsIT {
  @TempDir Path dir;

  record Part(int number, long start, long size, String name, String uuid, String type) {}

  /** An image of {@code mib} MiB of seeded random bytes. */
  Path randomImage(String name, int mib, long seed) throws IOException {
    Path img = dir.resolve(name);
    Random rnd = new Random(seed);
    byte[] buf = new byte[1 << 20];
    try (FileChannel ch =
        FileChannel.open(img, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int i = 0; i < mib; i++) {
        rnd.nextBytes(buf);
        ch.write(ByteBuffer.wrap(buf));
      }
    }
    return img;
  }

  /** sfdisk's own reading of the table: the oracle. */
  static List<Part> sfdiskParts(Path img) throws Exception {
    JsonNode t = new ObjectMapper().readTree(Tool.ok("sfdisk", "--json", img.toString()).out());
    JsonNode table = t.get("partitiontable");
    int ss = table.path("sectorsize").asInt(512);
    List<Part> parts = new ArrayList<>();
    for (JsonNode p : table.get("partitions")) {
      String node = p.get("node").asText();
      int number = Integer.parseInt(node.replaceAll(".*\\D", ""));
      parts.add(
          new Part(
              number,
              p.get("start").asLong() * ss,
              p.get("size").asLong() * ss,
              p.path("name").asText(null),
              p.path("uuid").asText(null),
              p.get("type").asText()));
    }
    return parts;
  }

  static void assertExtractsExactly(Path img, String selector, Part part, Path out)
      throws Exception {
    CliRun r = CliRun.run("extract", img.toString(), selector, "-o", out.toString(), "--sha256");
    assertThat(r.code()).as(selector + ": " + r.err()).isZero();
    String expected = Processes.sha256(img, part.start(), part.size());
    assertThat(Files.size(out)).isEqualTo(part.size());
    assertThat(Processes.sha256(out)).as(selector).isEqualTo(expected);
    assertThat(r.out().strip()).isEqualTo(expected + "  " + out);
  }

  @Test
  void everyDataPartitionOfAnSfdiskMbrWithLogicalsComesOutExactly() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    Path img = randomImage("dos.img", 48, 42);
    String script =
        String.join(
            "\n",
            "label: dos",
            "start=63, size=20417, type=83", // legacy LBA 63 layout
            "start=20480, size=8192, type=7",
            "start=28672, size=65536, type=5",
            "start=30720, size=10000, type=83",
            "start=43008, size=20000, type=82",
            "start=65536, size=28000, type=c",
            "");
    Files.writeString(dir.resolve("dos.sfdisk"), script);
    Tool.ok(
        "sh",
        "-c",
        "sfdisk -q --no-reread --wipe never '" + img + "' < '" + dir.resolve("dos.sfdisk") + "'");
    List<Part> parts = sfdiskParts(img);
    assertThat(parts).extracting(Part::number).containsExactly(1, 2, 3, 5, 6, 7);
    for (Part p : parts) {
      Path out = dir.resolve("dos-p" + p.number());
      if (p.type().equals("5")) {
        CliRun r = CliRun.run("extract", img.toString(), "p" + p.number(), "-o", out.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("extended");
        continue;
      }
      assertExtractsExactly(img, p.number() % 2 == 0 ? "p" + p.number() : "" + p.number(), p, out);
    }
  }

  @Test
  void gptPartitionsComeOutByNumberLabelAndUuid() throws Exception {
    IntegrationEnvironment.requireTool("sgdisk");
    IntegrationEnvironment.requireTool("sfdisk");
    Path img = randomImage("gpt.img", 40, 7);
    Tool.ok(
        "sgdisk",
        "-o",
        "-n",
        "1:2048:+4M",
        "-c",
        "1:EFI system",
        "-t",
        "1:ef00",
        "-n",
        "2:0:+16M",
        "-c",
        "2:root",
        "-u",
        "2:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "-n",
        "3:0:+1M",
        "-c",
        "3:tiny",
        img.toString());
    List<Part> parts = sfdiskParts(img);
    assertThat(parts).hasSize(3);
    assertExtractsExactly(img, "1", parts.get(0), dir.resolve("g1"));
    assertExtractsExactly(img, "label:EFI system", parts.get(0), dir.resolve("g1-label"));
    assertExtractsExactly(
        img, "uuid:0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", parts.get(1), dir.resolve("g2-uuid"));
    assertExtractsExactly(img, "label:tiny", parts.get(2), dir.resolve("g3"));
  }

  @Test
  void theLauncherStreamsToStdoutAndDrawsNoBarWhenStderrIsNotATerminal() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    Path img = randomImage("s.img", 24, 9);
    Files.writeString(dir.resolve("s.sfdisk"), "label: dos\nstart=2048, size=30000, type=83\n");
    Tool.ok("sh", "-c", "sfdisk -q --wipe never '" + img + "' < '" + dir.resolve("s.sfdisk") + "'");
    Part p1 = sfdiskParts(img).get(0);
    Path out = dir.resolve("stdout.bin");
    Path err = dir.resolve("stderr.txt");
    Process proc =
        Processes.builder(Processes.partview("extract", img.toString(), "1", "-o", "-", "--sha256"))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(proc.waitFor()).as(Files.readString(err)).isZero();
    String expected = Processes.sha256(img, p1.start(), p1.size());
    assertThat(Processes.sha256(out)).isEqualTo(expected);
    // The hash goes to stderr (stdout holds the data), and nothing else: no progress bar.
    assertThat(Files.readString(err)).isEqualTo(expected + "  -\n");

    // Without -o, a non-terminal stdout is the output too.
    Path out2 = dir.resolve("stdout2.bin");
    Process implicit =
        Processes.builder(Processes.partview("extract", img.toString(), "p1"))
            .redirectOutput(out2.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(implicit.waitFor()).as(Files.readString(err)).isZero();
    assertThat(Processes.sha256(out2)).isEqualTo(expected);
  }
}
