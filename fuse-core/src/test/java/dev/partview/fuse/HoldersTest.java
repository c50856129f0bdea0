package dev.partview.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoldersTest {
  @TempDir Path sys;

  void loop(String name, String backing) throws IOException {
    Path d = Files.createDirectories(sys.resolve(name).resolve("loop"));
    Files.writeString(d.resolve("backing_file"), backing + "\n");
  }

  @Test
  void namesLoopsBackedByFilesOfTheMountAndWhereTheyAreMounted() throws IOException {
    loop("loop0", "/other/disk.img");
    loop("loop3", "/mnt/x/p2");
    loop("loop7", "/mnt/x/offset/1M:10M (deleted)");
    loop("loop8", "/mnt/xy/p1");
    Files.createDirectories(sys.resolve("loop9")); // free device: no loop/ folder
    MountInfo mounts = MountInfo.parse("50 22 7:3 / /srv/data rw - ext4 /dev/loop3 rw\n");

    List<Holders.Holder> h = Holders.loops("/mnt/x", mounts, sys);
    assertThat(h).hasSize(2);
    assertThat(h.get(0).what()).isEqualTo("/dev/loop3 (backing /mnt/x/p2, mounted on /srv/data)");
    assertThat(h.get(0).remedy()).isEqualTo("umount /srv/data, then partview detach /dev/loop3");
    assertThat(h.get(1).what()).isEqualTo("/dev/loop7 (backing /mnt/x/offset/1M:10M (deleted))");
    assertThat(h.get(1).remedy()).isEqualTo("partview detach /dev/loop7");
    assertThat(Holders.explain(h.subList(1, 2)))
        .isEqualTo(
            "held by /dev/loop7 (backing /mnt/x/offset/1M:10M (deleted)): run partview detach"
                + " /dev/loop7");
  }

  @Test
  void findsThisProcessesOwnChildrenByWorkingDirectory() throws Exception {
    Path dir = Files.createDirectory(sys.resolve("work"));
    Process p = new ProcessBuilder("sleep", "30").directory(dir.toFile()).start();
    try {
      List<Holders.Holder> h = Holders.processes(dir.toString(), Path.of("/proc"));
      assertThat(h)
          .extracting(Holders.Holder::what)
          .contains("process " + p.pid() + " (sleep) has its working directory in " + dir);
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  void underMeansTheFolderOrBelowIt() {
    assertThat(Holders.isUnder("/mnt/x", "/mnt/x")).isTrue();
    assertThat(Holders.isUnder("/mnt/x/p1", "/mnt/x")).isTrue();
    assertThat(Holders.isUnder("/mnt/xy", "/mnt/x")).isFalse();
    assertThat(Holders.explain(List.of())).isEmpty();
  }
}
