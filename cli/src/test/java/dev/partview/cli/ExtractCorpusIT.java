package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.testimages.Corpus;
import dev.partview.testimages.CorpusEntry;
import dev.partview.testimages.ExpectedPartition;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Extraction from real images of the conformance corpus (shared/corpus, through test-images' {@link
 * Corpus}): every data partition that lies inside its image must come out with the bytes at the
 * manifest's start and size.
 */
class ExtractCorpusIT {
  @TempDir Path dir;

  static CorpusEntry entry(Corpus corpus, String file) {
    return corpus.entries().stream()
        .filter(e -> e.file().equals(file))
        .findFirst()
        .orElseThrow(() -> new AssertionError("not in the manifest: " + file));
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
    Corpus corpus = Corpus.require();
    CorpusEntry e = entry(corpus, file);
    Path img = corpus.decompress(e);
    assertThat(Processes.sha256(img)).isEqualTo(e.sha256Uncompressed());
    long size = Files.size(img);
    int checked = 0;
    for (ExpectedPartition p : e.partitions()) {
      Path out = dir.resolve("p" + p.number());
      CliRun r =
          CliRun.run("extract", img.toString(), "p" + p.number(), "-o", out.toString(), "--sha256");
      if (p.kind() == ExpectedPartition.Kind.EXTENDED) {
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        continue;
      }
      if (e.partitionsBeyondEnd().contains(p.number()) || p.start() + p.size() > size) {
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_TABLE);
        continue;
      }
      assertThat(r.code()).as(file + " p" + p.number() + ": " + r.err()).isZero();
      String expected = Processes.sha256(img, p.start(), p.size());
      assertThat(r.out().strip()).isEqualTo(expected + "  " + out);
      assertThat(Processes.sha256(out)).isEqualTo(expected);
      assertThat(Files.size(out)).isEqualTo(p.size());
      Files.delete(out);
      checked++;
    }
    assertThat(checked).as("partitions checked in " + file).isPositive();
  }

  @Test
  void aTruncatedImageRefusesPartitionsPastItsEndNamingTheOffsets() throws Exception {
    Corpus corpus = Corpus.require();
    CorpusEntry e = entry(corpus, "images/dissect/gpt.bin.xz");
    Path img = corpus.decompress(e);
    ExpectedPartition p1 = e.partitions().get(0);
    CliRun r =
        CliRun.run("extract", img.toString(), "p" + p1.number(), "-o", dir.resolve("x").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_TABLE);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err())
        .contains("gpt.bin")
        .contains(Long.toString(p1.start()))
        .contains(Long.toString(Files.size(img)));
    assertThat(dir.resolve("x")).doesNotExist();
  }
}
