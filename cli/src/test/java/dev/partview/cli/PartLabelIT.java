package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PART {@code label:NAME} falling back to filesystem labels, where libblkid reads them. */
class PartLabelIT {
  @TempDir Path dir;

  private static Path sparse(Path file, long size) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
    return file;
  }

  /**
   * A mount probes the first 256 partitions only (its launcher waits); a command reads them all.
   */
  @Test
  void aLabelPastTheMountsProbingCapIsFound() throws Exception {
    IntegrationEnvironment.requireTool("sgdisk");
    IntegrationEnvironment.requireTool("mkfs.ext4");
    Path img = sparse(dir.resolve("many.img"), 320L << 20);
    List<String> sgdisk = new ArrayList<>(List.of("sgdisk", "--resize-table=300"));
    for (int i = 1; i <= 300; i++) sgdisk.addAll(List.of("-n", i + ":0:+1M"));
    sgdisk.add(img.toString());
    Tool.ok(sgdisk.toArray(String[]::new));
    CliRun p260 = CliRun.run("offset", img.toString(), "p260");
    assertThat(p260.code()).as(p260.err()).isZero();
    String start = p260.out().strip();
    Tool.ok("mkfs.ext4", "-q", "-F", "-L", "LAB260", "-E", "offset=" + start, img.toString(), "1M");

    CliRun byLabel = CliRun.run("offset", img.toString(), "label:LAB260");
    assertThat(byLabel.code()).as(byLabel.err()).isZero();
    assertThat(byLabel.out().strip()).isEqualTo(start);
  }

  /** Without libblkid no label was read: the error must not say that no filesystem has it. */
  @Test
  void withoutLibblkidTheErrorSaysTheLabelsWereNotRead() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    IntegrationEnvironment.requireTool("mkfs.ext4");
    Path img = sparse(dir.resolve("mbr.img"), 24L << 20);
    Tool.okWithInput("start=2048,size=16384,type=83\n", "sfdisk", "-q", img.toString());
    Tool.ok("mkfs.ext4", "-q", "-F", "-L", "scratch", "-E", "offset=1048576", img.toString(), "8M");
    assertThat(CliRun.run("offset", img.toString(), "label:scratch").out().strip())
        .isEqualTo("1048576");

    List<String> cmd = Processes.javaCommand();
    cmd.addAll(
        List.of(
            "-Dpartview.libblkid=libpartview-no-such-library.so.1",
            "-jar",
            Processes.jar().toString(),
            "offset",
            img.toString(),
            "label:scratch"));
    Processes.Result r = Processes.run(60, cmd);
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .startsWith("partview: " + img + ": no partition label:scratch (the image has: p1;")
        .contains("(filesystem labels not read: ");
  }
}
