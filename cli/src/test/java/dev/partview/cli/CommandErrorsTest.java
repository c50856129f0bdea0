package dev.partview.cli;

import static dev.partview.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code list} and {@code offset} where nothing native is reached: usage errors, missing files, and
 * {@code offset} on MBR images written byte by byte here (it never probes filesystems).
 */
class CommandErrorsTest {
  @TempDir Path dir;

  /** An MBR image: one primary 0x83 at LBA 2048 of 4096 sectors, bootable; 8 MiB file. */
  Path mbrImage() throws IOException {
    Path img = dir.resolve("mbr.img");
    ByteBuffer s = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
    s.putInt(440, 0xcafe1234);
    s.put(446, (byte) 0x80);
    s.put(446 + 4, (byte) 0x83);
    s.putInt(446 + 8, 2048);
    s.putInt(446 + 12, 4096);
    s.put(510, (byte) 0x55).put(511, (byte) 0xAA);
    try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
      f.setLength(8 << 20);
      f.write(s.array());
    }
    return img;
  }

  @Test
  void aMissingImageIsOneLineNamingItExit1() {
    Path missing = dir.resolve("nope.img");
    for (String[] args :
        new String[][] {
          {"list", missing.toString()},
          {"list", "--json", missing.toString()},
          {"offset", missing.toString(), "p1"}
        }) {
      CliRun r = run(args);
      assertThat(r.code()).isEqualTo(ExitCodes.RUNTIME);
      assertThat(r.out()).isEmpty();
      assertThat(r.err().lines().toList())
          .containsExactly("partview: " + missing + ": no such file");
    }
  }

  @Test
  void aDirectoryIsNotAnImage() {
    CliRun r = run("list", dir.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(r.err().lines().toList())
        .containsExactly("partview: " + dir + ": is a directory, not a disk image");
  }

  /** Before any open: a FIFO's would wait for a writer, a device's size reads as 0 bytes. */
  @Test
  void aDeviceIsNotAnImage() {
    for (String[] args :
        new String[][] {
          {"list", "/dev/null"},
          {"offset", "/dev/null", "p1"},
          {"extract", "/dev/null", "p1", "-o", dir.resolve("out").toString()}
        }) {
      CliRun r = run(args);
      assertThat(r.code()).as(args[0]).isEqualTo(ExitCodes.RUNTIME);
      assertThat(r.err().lines().toList())
          .as(args[0])
          .containsExactly(
              "partview: /dev/null: not a regular file or block device (a character device);"
                  + " partview reads disk images");
    }
  }

  @Test
  void usageErrorsExit2WithOneLineAndAHint() {
    for (String[] args :
        new String[][] {
          {"list"},
          {"list", "a.img", "b.img"},
          {"list", "--sector-size", "1000", "a.img"},
          {"list", "--sector-size", "x", "a.img"},
          {"offset", "a.img"},
          {"offset", "a.img", "q7"},
          {"offset", "a.img", "p0"},
        }) {
      CliRun r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(r.out()).isEmpty();
      assertThat(r.err().lines()).as(r.err()).hasSize(2);
      assertThat(r.err()).startsWith("partview: ").doesNotContain("\tat ");
    }
    assertThat(run("list", "--sector-size", "1000", "a.img").err())
        .contains("'1000' is not a sector size");
    assertThat(run("offset", "a.img", "q7").err()).contains("not a partition: 'q7'");
  }

  @Test
  void helpNamesTheOptions() {
    CliRun r = run("list", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("IMAGE", "--json", "--sector-size");
    assertThat(run("offset", "--help").out()).contains("PART", "--size", "offset=");
    assertThat(run("--help").out()).contains("list", "offset");
  }

  @Test
  void offsetPrintsOneNumberInBytes() throws IOException {
    Path img = mbrImage();
    assertThat(run("offset", img.toString(), "p1")).isEqualTo(new CliRun(0, "1048576\n", ""));
    assertThat(run("offset", img.toString(), "1", "--size"))
        .isEqualTo(new CliRun(0, "2097152\n", ""));
    // The same table read with 4096-byte sectors: every number scales, nothing else changes.
    assertThat(run("offset", "--sector-size", "4096", img.toString(), "p1").out())
        .isEqualTo(2048L * 4096 + "\n");
  }

  @Test
  void offsetOfAPartitionThatIsNotThereNamesWhatIs() throws IOException {
    Path img = mbrImage();
    CliRun r = run("offset", img.toString(), "p2");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList())
        .containsExactly("partview: " + img + ": no partition p2 (the image has: p1)");
    assertThat(run("offset", img.toString(), "label:root").err())
        .contains("no partition label:root");
  }

  @Test
  void offsetWithoutATableIsExit3NamingStructureAndOffset() throws IOException {
    Path zeros = dir.resolve("zeros.img");
    try (RandomAccessFile f = new RandomAccessFile(zeros.toFile(), "rw")) {
      f.setLength(1 << 20);
    }
    CliRun r = run("offset", zeros.toString(), "p1");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_TABLE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList())
        .containsExactly(
            "partview: "
                + zeros
                + ": MBR: no partition table: no 0x55AA boot signature at offset 510");
    Path tiny = dir.resolve("tiny.img");
    Files.write(tiny, new byte[100]);
    assertThat(run("offset", tiny.toString(), "1").err())
        .isEqualTo(
            "partview: "
                + tiny
                + ": image: no partition table: the image is 100 bytes, less than one 512-byte"
                + " sector at offset 0\n");
  }

  @Test
  void verboseAddsTheStackTrace() throws IOException {
    Path zeros = dir.resolve("zeros.img");
    try (RandomAccessFile f = new RandomAccessFile(zeros.toFile(), "rw")) {
      f.setLength(1 << 20);
    }
    CliRun quiet = run("offset", zeros.toString(), "p1");
    assertThat(quiet.err()).doesNotContain("\tat ");
    CliRun verbose = run("offset", "--verbose", zeros.toString(), "p1");
    assertThat(verbose.code()).isEqualTo(ExitCodes.BAD_TABLE);
    assertThat(verbose.err()).contains("\tat ").contains("PartitionTableException");
  }
}
