package dev.partview.cli;

import static dev.partview.cli.MbrImage.SECTOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.cli.MbrImage.Entry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partview extract} in-process, on MBR images written byte by byte by {@link MbrImage}:
 * exact bytes, every way of naming what to extract, and every refusal with its exit code.
 */
class ExtractCommandTest {
  @TempDir Path dir;
  Path image;

  /** p1: 2 MiB at LBA 2048; p2: extended at LBA 6144; p5: 1 MiB logical at LBA 8192. */
  static final long P1 = 2048L * SECTOR;

  static final long P1_SIZE = 2L << 20;
  static final long P5 = 8192L * SECTOR;
  static final long P5_SIZE = 1L << 20;

  byte[] p1;
  byte[] p5;

  record Run(int code, String out, String err, byte[] stdout) {}

  @BeforeEach
  void buildImage() throws IOException {
    image = dir.resolve("disk.img");
    p1 = MbrImage.random(1, (int) P1_SIZE);
    // Zeros inside data (at an unaligned spot too): they must still come out exactly.
    Arrays.fill(p1, 4096, 3 * 4096, (byte) 0);
    Arrays.fill(p1, 100_000, 300_000, (byte) 0);
    p5 = MbrImage.random(5, (int) P5_SIZE);
    try (MbrImage img =
        MbrImage.create(
            image,
            8L << 20,
            new Entry(0x83, 2048, P1_SIZE / SECTOR),
            new Entry(0x05, 6144, 10240))) {
      img.ebr(6144, new Entry(0x83, 2048, P5_SIZE / SECTOR), null);
      img.put(P1, p1).put(P5, p5);
      img.put(P1 - 7, new byte[] {1, 2, 3, 4, 5, 6, 7}); // neighbours that must not leak in
      img.put(P1 + P1_SIZE, new byte[] {9, 9, 9});
    }
  }

  static Run run(String... args) {
    return runWithStdout(null, args);
  }

  static Run runWithStdout(ByteArrayOutputStream stdout, String... args) {
    CliRun r =
        CliRun.run(
            cl -> {
              if (stdout != null) {
                ExtractCommand extract = cl.getSubcommands().get("extract").getCommand();
                extract.stdout = Channels.newChannel(stdout);
              }
            },
            args);
    return new Run(r.code(), r.out(), r.err(), stdout == null ? null : stdout.toByteArray());
  }

  String img() {
    return image.toString();
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** Compares by SHA-256 so that a failure prints two lines, not megabytes. */
  static void assertSameBytes(Path file, byte[] expected) throws Exception {
    byte[] actual = Files.readAllBytes(file);
    assertThat(actual.length).as("size of " + file).isEqualTo(expected.length);
    assertThat(sha256(actual)).as("content of " + file).isEqualTo(sha256(expected));
  }

  List<Path> hiddenFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
    }
  }

  @Test
  void extractsAPrimaryPartitionExactly() throws Exception {
    Path out = dir.resolve("p1.img");
    Run r = run("extract", img(), "1", "-o", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertSameBytes(out, p1);
    assertThat(hiddenFiles()).isEmpty();
  }

  @Test
  void extractsALogicalPartitionNamedP5() throws Exception {
    Path out = dir.resolve("p5.img");
    Run r = run("extract", img(), "p5", "-o", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertSameBytes(out, p5);
  }

  @Test
  void sha256IsOfTheBytesWrittenInSha256sumFormat() throws Exception {
    Path out = dir.resolve("p1.img");
    Run r = run("extract", img(), "1", "-o", out.toString(), "--sha256");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(sha256(p1) + "  " + out + System.lineSeparator());
  }

  @Test
  void stdoutGetsEveryByteAndTheHashGoesToStderr() throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Run r = runWithStdout(stdout, "extract", img(), "1", "-o", "-", "--sha256");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(sha256(r.stdout())).isEqualTo(sha256(p1));
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip()).isEqualTo(sha256(p1) + "  -");
  }

  @Test
  void refusesToReplaceAnExistingFileWithoutForce() throws Exception {
    Path out = dir.resolve("p1.img");
    Files.writeString(out, "keep me");
    Run r = run("extract", img(), "1", "-o", out.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(r.err()).contains(out.toString()).contains("--force");
    assertThat(Files.readString(out)).isEqualTo("keep me");
    assertThat(hiddenFiles()).isEmpty();

    Run forced = run("extract", img(), "1", "-o", out.toString(), "--force");
    assertThat(forced.code()).as(forced.err()).isZero();
    assertSameBytes(out, p1);
  }

  @Test
  void refusesADirectoryAndTheImageItselfEvenWithForce() {
    Run d = run("extract", img(), "1", "-o", dir.toString(), "--force");
    assertThat(d.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(d.err()).contains("is a directory");

    Run self = run("extract", img(), "1", "-o", img(), "--force");
    assertThat(self.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(self.err()).contains("is the image itself");
  }

  @Test
  void theExtendedContainerIsRefusedNamingTheLogicals() {
    Run r = run("extract", img(), "2", "-o", dir.resolve("x").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .contains("disk.img p2")
        .contains("extended")
        .contains("byte " + 6144L * SECTOR)
        .contains("p5");
    assertThat(Files.exists(dir.resolve("x"))).isFalse();
  }

  @Test
  void anUnknownPartitionIsAUsageErrorListingWhatThereIs() {
    Run r = run("extract", img(), "p7", "-o", dir.resolve("x").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("disk.img").contains("p7").contains("p1, p2, p5");

    Run bad = run("extract", img(), "first", "-o", dir.resolve("x").toString());
    assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("not a partition: 'first'");
  }

  @Test
  void anImageWithoutATableExits3() throws Exception {
    Path blank = dir.resolve("blank.img");
    Files.write(blank, new byte[1 << 16]);
    Run r = run("extract", blank.toString(), "1", "-o", dir.resolve("x").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_TABLE);
    assertThat(r.err()).contains("blank.img").contains("offset");
  }

  @Test
  void aPartitionPastTheEndOfATruncatedImageExits3WithTheOffsets() throws Exception {
    try (var ch =
        java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(P1 + 1000);
    }
    Run r = run("extract", img(), "1", "-o", dir.resolve("x").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_TABLE);
    assertThat(r.err()).contains("disk.img p1").contains(Long.toString(P1 + 1000));
    assertThat(Files.exists(dir.resolve("x"))).isFalse();
  }

  @Test
  void aMissingImageIsAnIoErrorNamingIt() {
    Run r = run("extract", dir.resolve("nope.img").toString(), "1", "-o", "x");
    assertThat(r.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(r.err()).contains("nope.img: no such file");
  }

  @Test
  void aDirectoryGivenAsTheImageIsNamed() {
    Run r = run("extract", dir.toString(), "1", "-o", dir.resolve("x").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(r.err().strip())
        .isEqualTo("partview: " + dir + ": is a directory, not a disk image");
  }

  @Test
  void aMissingOutputDirectoryIsAnIoError() {
    Run r = run("extract", img(), "1", "-o", dir.resolve("no/such/dir/p1.img").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(r.err().strip())
        .isEqualTo("partview: " + dir.resolve("no/such/dir") + ": no such directory");
    Run proc = run("extract", img(), "1", "-o", "/proc/p1.img");
    assertThat(proc.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(proc.err().strip())
        .as("the folder, never the hidden temporary file")
        .isEqualTo("partview: /proc: cannot create files here");
    Run empty = run("extract", img(), "1", "-o", "");
    assertThat(empty.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(empty.err()).contains("-o needs a file name");
  }

  @Test
  void anOffsetRangeAcceptsSectorsAndBinarySuffixes() throws Exception {
    Path out = dir.resolve("range.img");
    Run r = run("extract", img(), "--offset", "2048s", "--length", "2M", "-o", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertSameBytes(out, p1);

    Path odd = dir.resolve("odd.img");
    Run o =
        run(
            "extract",
            img(),
            "--offset",
            Long.toString(P1 - 7),
            "--length",
            "10",
            "-o",
            odd.toString());
    assertThat(o.code()).as(o.err()).isZero();
    byte[] expect = new byte[10];
    System.arraycopy(new byte[] {1, 2, 3, 4, 5, 6, 7}, 0, expect, 0, 7);
    System.arraycopy(p1, 0, expect, 7, 3);
    assertSameBytes(odd, expect);
  }

  @Test
  void sectorSizeSetsWhatSMeans() throws Exception {
    Path out = dir.resolve("range.img");
    // 256 sectors of 4096 bytes = LBA 2048 at 512 bytes.
    Run r =
        run(
            "extract",
            img(),
            "--sector-size",
            "4096",
            "--offset",
            "256s",
            "--length",
            "512s",
            "-o",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertSameBytes(out, p1);

    Run bad = run("extract", img(), "--sector-size", "1000", "--offset", "1s", "-o", "y");
    assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("--sector-size");
  }

  @Test
  void aTableInFourKibibyteSectorsIsDetectedAndSectorSizeOverridesIt() throws Exception {
    // p1: LBA 256, 512 sectors. At 4096 bytes: 1 MiB + 2 MiB, most of the image; at 512 bytes it
    // would lie in the image's first eighth.
    Path img4k = dir.resolve("4k.img");
    int size = (3 << 20) + 4096;
    byte[] content = MbrImage.random(4, size);
    try (MbrImage m = MbrImage.create(img4k, size, new Entry(0x83, 256, 512))) {
      m.put(SECTOR, Arrays.copyOfRange(content, SECTOR, content.length));
    }
    Path out = dir.resolve("p1-4k.img");
    Run r = run("extract", img4k.toString(), "1", "-o", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertSameBytes(out, Arrays.copyOfRange(content, 1 << 20, 3 << 20));

    Path out512 = dir.resolve("p1-512.img");
    Run forced =
        run("extract", img4k.toString(), "1", "--sector-size", "512", "-o", out512.toString());
    assertThat(forced.code()).as(forced.err()).isZero();
    assertSameBytes(out512, Arrays.copyOfRange(content, 256 * SECTOR, 768 * SECTOR));
  }

  @Test
  void anOffsetWithoutLengthRunsToTheEndOfTheImage() throws Exception {
    Path out = dir.resolve("tail.img");
    Run r = run("extract", img(), "--offset", "7M", "-o", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.size(out)).isEqualTo(1L << 20);
  }

  @Test
  void rangeMistakesAreUsageErrors() {
    String x = dir.resolve("x").toString();
    Run past = run("extract", img(), "--offset", "7M", "--length", "2M", "-o", x);
    assertThat(past.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(past.err()).contains("disk.img").contains("7340032").contains("8388608");

    Run both = run("extract", img(), "1", "--offset", "0", "-o", x);
    assertThat(both.code()).isEqualTo(ExitCodes.USAGE);

    Run lengthOnly = run("extract", img(), "--length", "1M", "-o", x);
    assertThat(lengthOnly.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(lengthOnly.err()).contains("--length needs --offset");

    Run neither = run("extract", img(), "-o", x);
    assertThat(neither.code()).isEqualTo(ExitCodes.USAGE);

    Run unit = run("extract", img(), "--offset", "3X", "-o", x);
    assertThat(unit.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unit.err()).contains("3X");
    assertThat(Files.exists(dir.resolve("x"))).isFalse();
  }

  @Test
  void anEmptyRangeMakesAnEmptyFile() throws Exception {
    Path out = dir.resolve("empty.img");
    Run r = run("extract", img(), "--offset", "1M", "--length", "0", "-o", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.size(out)).isZero();
  }

  @Test
  void extractIsListedInTheRootHelp() {
    Run r = run("--help");
    assertThat(r.out()).contains("extract");
  }
}
