package dev.partview.fuse.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MountTableTest {
  static final String PROC_MOUNTS =
      String.join(
          "\n",
          "sysfs /sys sysfs rw,relatime 0 0",
          "/dev/loop3 /mnt/p1 ext4 ro,relatime 0 0",
          "/dev/loop3p5 /mnt/logical ext4 ro 0 0",
          "/dev/loop31 /mnt/other ext4 ro 0 0",
          "/srv/images/my\\040disk.img /mnt/pv\\040one fuse.partview ro,nosuid,nodev 0 0",
          "partview /mnt/multi fuse.partview ro,nosuid,nodev 0 0",
          "/srv/images/my\\040disk.img /mnt/not-ours fuse.sshfs rw 0 0",
          "back\\134slash\\011tab /x tmpfs rw 0 0",
          "truncated-line",
          "");

  @Test
  void parsesFieldsAndUndoesTheKernelEscapes() {
    MountTable t = MountTable.parse(PROC_MOUNTS);
    assertThat(t.entries()).hasSize(8);
    assertThat(t.entries().get(0))
        .isEqualTo(new MountTable.Entry("sysfs", "/sys", "sysfs", "rw,relatime"));
    assertThat(t.entries().get(4))
        .isEqualTo(
            new MountTable.Entry(
                "/srv/images/my disk.img", "/mnt/pv one", "fuse.partview", "ro,nosuid,nodev"));
    assertThat(t.entries().get(7).source()).isEqualTo("back\\slash\ttab");
    assertThat(MountTable.unescape("a\\04")).isEqualTo("a\\04");
    assertThat(MountTable.unescape("a\\999b")).isEqualTo("a\\999b");
  }

  @Test
  void mountsOfADeviceIncludeItsPartitionsButNotOtherDevices() {
    MountTable t = MountTable.parse(PROC_MOUNTS);
    assertThat(t.mountsOf("/dev/loop3"))
        .extracting(MountTable.Entry::target)
        .containsExactly("/mnt/p1", "/mnt/logical");
    assertThat(t.mountsOf("/dev/loop31"))
        .extracting(MountTable.Entry::target)
        .containsExactly("/mnt/other");
    assertThat(t.mountsOf("/dev/loop4")).isEmpty();
  }

  @Test
  void partviewDirsServingAnImage() {
    MountTable t = MountTable.parse(PROC_MOUNTS);
    assertThat(t.partviewDirsServing(Path.of("/srv/images/my disk.img")))
        .containsExactly("/mnt/pv one", "/mnt/multi/my disk.img");
    assertThat(t.partviewDirsServing(Path.of("/srv/images/other.img")))
        .as("a multi-image mount may serve any file name; the folder decides")
        .containsExactly("/mnt/multi/other.img");
  }

  @Test
  void isUnderComparesWholePathComponents() {
    assertThat(MountTable.isUnder("/mnt/pv one/p2", "/mnt/pv one")).isTrue();
    assertThat(MountTable.isUnder("/mnt/pv one", "/mnt/pv one")).isTrue();
    assertThat(MountTable.isUnder("/mnt/pv onex/p2", "/mnt/pv one")).isFalse();
    assertThat(MountTable.isUnder("/mnt/multi/my disk.img/p1", "/mnt/multi/my disk.img")).isTrue();
    assertThat(MountTable.isUnder("/mnt/multi/my disk.img2/p1", "/mnt/multi/my disk.img"))
        .isFalse();
  }
}
