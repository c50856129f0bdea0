package dev.partview.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.fuse.loop.FakeSysBlock;
import dev.partview.fuse.sys.MountTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoldersTest {
  @TempDir Path sys;

  @Test
  void namesLoopsBackedByFilesOfTheMountAndWhereTheyAreMounted() throws IOException {
    FakeSysBlock fake = new FakeSysBlock(sys);
    fake.boundLoop(0, "/other/disk.img");
    fake.boundLoop(3, "/mnt/x/p2");
    fake.boundLoop(7, "/mnt/x/offset/1M:10M (deleted)");
    fake.boundLoop(8, "/mnt/xy/p1");
    fake.freeLoop(9);
    Map<String, String> autoclear = new HashMap<>(FakeSysBlock.attrs("/mnt/x/p5", "0", "0"));
    autoclear.put("autoclear", "1"); // attach --mount: the umount frees it
    fake.boundLoop(10, autoclear, "1", "8");
    MountTable mounts =
        MountTable.parse(
            "50 22 7:3 / /srv/data rw - ext4 /dev/loop3 rw\n"
                + "51 22 7:10 / /srv/five ro - ext4 /dev/loop10 ro\n");

    List<Holders.Holder> h = Holders.loops("/mnt/x", mounts, fake.sysfs());
    assertThat(h).hasSize(3);
    assertThat(h.get(2).remedy()).isEqualTo("umount /srv/five (which frees it)");
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
          .contains("process " + p.pid() + " (sleep), which has its working directory in " + dir);
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  void noHoldersExplainNothing() {
    assertThat(Holders.explain(List.of())).isEmpty();
  }
}
