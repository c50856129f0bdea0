package dev.partview.testimages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partview.testimages.ExpectedPartition.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The corpus is found from the working directory, parsed, and decompressed byte-exact. */
class CorpusTest {

  @Test
  void manifestEntriesBecomeExpectedPartitions() throws Exception {
    Corpus corpus = Corpus.require();
    assertThat(corpus.entries()).hasSizeGreaterThanOrEqualTo(47);
    assertThat(corpus.entries()).allMatch(e -> Files.isRegularFile(e.compressed()));

    CorpusEntry dftt = corpus.entry("dftt-ext-part-test-2");
    assertThat(dftt.table()).isEqualTo("dos");
    assertThat(dftt.diskId()).isEqualTo("0x8a8ffef4");
    assertThat(dftt.hasEdgeCase("ebr-with-two-data-entries")).isTrue();
    ExpectedPartition p6 = dftt.partitions().get(5);
    assertThat(p6.number()).isEqualTo(6);
    assertThat(p6.kind()).isEqualTo(Kind.LOGICAL);
    assertThat(p6.start()).isEqualTo(107_380_224L);
    assertThat(p6.firstLba()).isEqualTo(107_380_224L / 512);
    assertThat(p6.type()).isEqualTo("0x04");

    CorpusEntry gpt4k = corpus.entry("gptman-disk2");
    assertThat(gpt4k.sectorSize()).isEqualTo(4096);
    assertThat(gpt4k.partitions().get(1).uuid())
        .isEqualTo(UUID.fromString("267e9ab2-25ff-f64e-8b73-da5dd392a730"));
    assertThat(gpt4k.partitions().get(1).kind()).isEqualTo(Kind.GPT);
    assertThat(gpt4k.partitions().get(1).label()).isEmpty();

    CorpusEntry truncated = corpus.entry("dissect-gpt_4k");
    assertThat(truncated.truncated()).isTrue();
    assertThat(corpus.entry("coreos-empty").table()).isNull();
  }

  @Test
  void decompressedImageMatchesTheManifestChecksum() throws Exception {
    Corpus corpus = Corpus.require();
    CorpusEntry entry = corpus.entry("gptman-disk2");
    Path image = corpus.decompress(entry);
    assertThat(image).startsWith(Corpus.cacheDirectory());
    assertThat(Files.size(image)).isEqualTo(entry.uncompressedSize());
    assertThat(Corpus.sha256(image)).isEqualTo(entry.sha256Uncompressed());
    assertThat(corpus.decompress(entry)).as("cached").isEqualTo(image);
  }

  @Test
  void zeroBlocksBecomeHoles() throws Exception {
    Corpus corpus = Corpus.require();
    CorpusEntry empty = corpus.entry("coreos-empty");
    Path image = corpus.decompress(empty);
    assertThat(Corpus.sha256(image)).isEqualTo(empty.sha256Uncompressed());
    String[] stat = Tool.ok("stat", "-c", "%b %B", image.toString()).out().trim().split(" ");
    long allocated = Long.parseLong(stat[0]) * Long.parseLong(stat[1]);
    assertThat(allocated).as("bytes allocated for a 10 MiB all-zero image").isLessThan(64 * 1024);
  }

  @Test
  void theSystemPropertyIsTriedFirst() throws Exception {
    Path root = Corpus.require().directory();
    String old = System.getProperty(Corpus.PROPERTY);
    Path elsewhere = Files.createTempDirectory("partview-corpus");
    try {
      Files.copy(root.resolve("manifest.json"), elsewhere.resolve("manifest.json"));
      System.setProperty(Corpus.PROPERTY, elsewhere.toString());
      assertThat(Corpus.root()).contains(elsewhere.toAbsolutePath().normalize());
      System.setProperty(Corpus.PROPERTY, elsewhere.resolve("missing").toString());
      assertThat(Corpus.root()).contains(root);
    } finally {
      if (old == null) System.clearProperty(Corpus.PROPERTY);
      else System.setProperty(Corpus.PROPERTY, old);
      Files.delete(elsewhere.resolve("manifest.json"));
      Files.delete(elsewhere);
    }
  }

  @Test
  void absentCorpusSkipsOrUnderCiFails() throws Exception {
    String oldDir = System.getProperty("user.dir");
    String oldProperty = System.getProperty(Corpus.PROPERTY);
    Path nowhere = Files.createTempDirectory("partview-no-corpus");
    try {
      System.setProperty("user.dir", nowhere.toString());
      System.clearProperty(Corpus.PROPERTY);
      assertThat(Corpus.root()).isEmpty();
      Class<? extends Throwable> expected =
          IntegrationEnvironment.underCi()
              ? org.opentest4j.AssertionFailedError.class
              : org.opentest4j.TestAbortedException.class;
      assertThatThrownBy(Corpus::require)
          .isInstanceOf(expected)
          .hasMessageContaining("corpus absent: no manifest.json in any of [" + nowhere);
    } finally {
      System.setProperty("user.dir", oldDir);
      if (oldProperty != null) System.setProperty(Corpus.PROPERTY, oldProperty);
      Files.delete(nowhere);
    }
  }
}
