package dev.partview.fuse.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MountTableTest {
  /** Partview mounts, one mounted over another, a loop mount below a partview mount. */
  static final String MOUNTS =
      "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
          + "40 22 0:39 / /tmp/a\\040b/mnt ro,nosuid,nodev,relatime shared:5 - fuse.partview"
          + " /img/my\\040disk.img ro,user_id=0,group_id=0\n"
          + "41 22 0:40 / /tmp/multi rw,nosuid - fuse.partview partview rw,user_id=1000\n"
          + "42 41 7:3 / /tmp/multi/ext ro - ext4 /dev/loop3 ro\n"
          + "43 22 0:41 / /tmp/multi rw - fuse.other x rw\n"
          + "garbage line\n";

  /** Loop devices and their partitions, images served by partview mounts, every kernel escape. */
  static final String LOOPS_AND_IMAGES =
      String.join(
          "\n",
          "20 1 0:20 / /sys rw,relatime shared:2 - sysfs sysfs rw",
          "30 1 7:3 / /mnt/p1 ro,relatime - ext4 /dev/loop3 ro",
          "31 1 259:5 / /mnt/logical ro - ext4 /dev/loop3p5 ro",
          "32 1 7:31 / /mnt/other ro - ext4 /dev/loop31 ro",
          "40 1 0:40 / /mnt/pv\\040one ro,nosuid,nodev - fuse.partview /srv/images/my\\040disk.img"
              + " ro,user_id=0",
          "41 1 0:41 / /mnt/multi ro,nosuid,nodev - fuse.partview partview ro,user_id=0",
          "42 1 0:42 / /mnt/not-ours rw - fuse.sshfs /srv/images/my\\040disk.img rw",
          "43 1 0:43 / /x rw - tmpfs back\\134slash\\011tab rw",
          "truncated-line",
          "");

  @Test
  void parsesAndUnescapes() {
    MountTable t = MountTable.parse(MOUNTS);
    assertThat(t.entries()).hasSize(5);
    MountTable.Entry e = t.at("/tmp/a b/mnt").orElseThrow();
    assertThat(e.id()).isEqualTo(40);
    assertThat(e.device()).isEqualTo("0:39");
    assertThat(e.type()).isEqualTo("fuse.partview");
    assertThat(e.isPartview()).isTrue();
    assertThat(e.source()).isEqualTo("/img/my disk.img");
    assertThat(e.options()).startsWith("ro,");
  }

  @Test
  void parsesFieldsAndUndoesTheKernelEscapes() {
    MountTable t = MountTable.parse(LOOPS_AND_IMAGES);
    assertThat(t.entries()).hasSize(8);
    assertThat(t.entries().get(0))
        .isEqualTo(new MountTable.Entry(20, "0:20", "/sys", "rw,relatime", "sysfs", "sysfs"));
    assertThat(t.entries().get(4))
        .isEqualTo(
            new MountTable.Entry(
                40,
                "0:40",
                "/mnt/pv one",
                "ro,nosuid,nodev",
                "fuse.partview",
                "/srv/images/my disk.img"));
    assertThat(t.entries().get(7).source()).isEqualTo("back\\slash\ttab");
  }

  @Test
  void unescapesOnlyOctalTriples() {
    assertThat(MountTable.unescape("a\\134b\\011c\\012")).isEqualTo("a\\b\tc\n");
    assertThat(MountTable.unescape("a\\9b\\04")).isEqualTo("a\\9b\\04");
    assertThat(MountTable.unescape("a\\04")).isEqualTo("a\\04");
    assertThat(MountTable.unescape("a\\999b")).isEqualTo("a\\999b");
  }

  @Test
  void theTopmostMountWins() {
    MountTable t = MountTable.parse(MOUNTS);
    assertThat(t.at("/tmp/multi").orElseThrow().type()).isEqualTo("fuse.other");
    assertThat(t.at("/tmp/none")).isEmpty();
  }

  @Test
  void findsMountsBelowAndBySource() {
    MountTable t = MountTable.parse(MOUNTS);
    assertThat(t.below("/tmp/multi"))
        .extracting(MountTable.Entry::target)
        .containsExactly("/tmp/multi/ext");
    assertThat(t.below("/tmp/mult")).isEmpty();
    assertThat(t.mountsOf("/dev/loop3")).extracting(MountTable.Entry::id).isEqualTo(List.of(42));
  }

  @Test
  void mountsOfADeviceIncludeItsPartitionsButNotOtherDevices() {
    MountTable t = MountTable.parse(LOOPS_AND_IMAGES);
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
    MountTable t = MountTable.parse(LOOPS_AND_IMAGES);
    // What the daemon of /mnt/multi says it serves, as given: a link named "b.img" to my disk.img.
    Function<String, List<Path>> daemons =
        target ->
            target.equals("/mnt/multi")
                ? List.of(Path.of("/srv/images/a.img"), Path.of("/srv/images/my disk.img"))
                : List.of();
    Path mine = Path.of("/srv/images/my disk.img");
    assertThat(t.partviewDirsServing(mine, mine, daemons))
        .containsExactly("/mnt/pv one", "/mnt/multi/my disk.img");
    Path other = Path.of("/srv/images/other.img");
    assertThat(t.partviewDirsServing(other, other, daemons))
        .as("a file name alone is not enough: /mnt/multi does not serve it")
        .isEmpty();
    assertThat(t.partviewDirsServing(mine, Path.of("/srv/link.img"), target -> List.of()))
        .as("no daemon to ask: only the single-image mount")
        .containsExactly("/mnt/pv one");
    // The mount was given a link to the image; detach is given the same link: matched by name.
    Function<String, List<Path>> viaLink =
        target -> target.equals("/mnt/multi") ? List.of(Path.of("/srv/link.img")) : List.of();
    assertThat(t.partviewDirsServing(mine, Path.of("/srv/link.img"), viaLink))
        .containsExactly("/mnt/pv one", "/mnt/multi/link.img");
  }

  @Test
  void isUnderComparesWholePathComponents() {
    assertThat(MountTable.isUnder("/mnt/x", "/mnt/x")).isTrue();
    assertThat(MountTable.isUnder("/mnt/x/p1", "/mnt/x")).isTrue();
    assertThat(MountTable.isUnder("/mnt/xy", "/mnt/x")).isFalse();
    assertThat(MountTable.isUnder("/mnt/pv one/p2", "/mnt/pv one")).isTrue();
    assertThat(MountTable.isUnder("/mnt/pv one", "/mnt/pv one")).isTrue();
    assertThat(MountTable.isUnder("/mnt/pv onex/p2", "/mnt/pv one")).isFalse();
    assertThat(MountTable.isUnder("/mnt/multi/my disk.img/p1", "/mnt/multi/my disk.img")).isTrue();
    assertThat(MountTable.isUnder("/mnt/multi/my disk.img2/p1", "/mnt/multi/my disk.img"))
        .isFalse();
  }
}
