package dev.partview.fuse.loop;

import static dev.partview.fuse.loop.FakeSysBlock.attrs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sysfs parsing against a directory laid out like /sys/block. */
class LoopSysfsTest {
  @TempDir Path sys;

  FakeSysBlock fake;

  @BeforeEach
  void fake() {
    fake = new FakeSysBlock(sys);
  }

  @Test
  void readsBoundDevicesInNumberOrderAndSkipsUnboundOnes() throws IOException {
    fake.boundLoop(10, attrs("/img/b with space.img", "0", "0"), "0", "2048");
    fake.write("loop10/queue/logical_block_size", "4096\n"); // losetup -b 4096
    fake.boundLoop(2, attrs("/img/a.img", "32256", "1048576"), "1", "2048");
    fake.write("loop3/ro", "0\n"); // unbound: no loop/ directory
    fake.write("loop3/size", "0\n");
    fake.write("vda/size", "100\n");
    assertThat(new LoopSysfs(sys).attached())
        .containsExactly(
            new LoopStatus(
                2, "/img/a.img", false, 32256, 1048576, true, false, true, true, 2048, 512),
            new LoopStatus(
                10, "/img/b with space.img", false, 0, 0, false, false, true, true, 2048, 4096));
    assertThat(new LoopSysfs(sys).status(3)).isEmpty();
  }

  @Test
  void deletedBackingFileIsFlaggedAndItsSuffixRemoved() throws IOException {
    fake.boundLoop(4, attrs("/img/gone.img (deleted)", "0", "0"), "1", "8");
    LoopStatus s = new LoopSysfs(sys).status(4).orElseThrow();
    assertThat(s.backingFile()).isEqualTo("/img/gone.img");
    assertThat(s.backingDeleted()).isTrue();
    assertThat(s.device()).isEqualTo("/dev/loop4");
    assertThat(s.sizeBytes()).isEqualTo(4096);
  }

  @Test
  void missingDioMeansNoDirectIo() throws IOException {
    fake.boundLoop(1, attrs("/a", "0", "0"), "0", "8");
    Files.delete(sys.resolve("loop1/loop/dio"));
    assertThat(new LoopSysfs(sys).status(1).orElseThrow().directIo()).isFalse();
  }

  @Test
  void anAttributeThatFailsToReadMeansTheDeviceIsGoing() throws IOException {
    fake.boundLoop(6, attrs("/a", "0", "0"), "0", "8");
    // A read error, as ENODEV from a device being torn down (a folder cannot be read either).
    Files.delete(sys.resolve("loop6/loop/sizelimit"));
    Files.createDirectory(sys.resolve("loop6/loop/sizelimit"));
    assertThat(new LoopSysfs(sys).status(6)).isEmpty();
    assertThat(new LoopSysfs(sys).attached()).isEmpty();
  }

  @Test
  void garbageInANumberFileIsAnErrorNamingTheFile() throws IOException {
    fake.boundLoop(1, attrs("/a", "12x", "0"), "0", "8");
    assertThatThrownBy(() -> new LoopSysfs(sys).status(1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("loop1/loop/offset")
        .hasMessageContaining("'12x'");
  }

  @Test
  void partitionsAndHolders() throws IOException {
    fake.boundLoop(7, attrs("/a", "0", "0"), "1", "20480");
    fake.write("loop7/loop7p5/partition", "5\n");
    fake.write("loop7/loop7p5/start", "8192\n");
    fake.write("loop7/loop7p5/size", "2048\n");
    fake.write("loop7/loop7p5/dev", "259:3\n");
    fake.write("loop7/loop7p1/partition", "1\n");
    fake.write("loop7/loop7p1/start", "63\n");
    fake.write("loop7/loop7p1/size", "4096\n");
    fake.write("loop7/loop7p1/dev", "259:2\n");
    Files.createDirectories(sys.resolve("loop7/loop7p1/holders/dm-0"));
    Files.createDirectories(sys.resolve("loop7/holders/md0"));
    LoopSysfs s = new LoopSysfs(sys);
    assertThat(s.partitions(7))
        .containsExactly(
            new BlockPartition("loop7p1", 1, 63, 4096, "259:2"),
            new BlockPartition("loop7p5", 5, 8192, 2048, "259:3"));
    assertThat(s.holders(7)).containsExactly("md0");
    assertThat(s.holders(7, "loop7p1")).containsExactly("dm-0");
    assertThat(s.holders(8)).isEmpty();
    assertThat(s.partitions(8)).isEmpty();
  }
}
