package dev.partview.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountInfoTest {
  static final String TEXT =
      "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
          + "40 22 0:39 / /tmp/a\\040b/mnt ro,nosuid,nodev,relatime shared:5 - fuse.partview"
          + " /img/my\\040disk.img ro,user_id=0,group_id=0\n"
          + "41 22 0:40 / /tmp/multi rw,nosuid - fuse.partview partview rw,user_id=1000\n"
          + "42 41 7:3 / /tmp/multi/ext ro - ext4 /dev/loop3 ro\n"
          + "43 22 0:41 / /tmp/multi rw - fuse.other x rw\n"
          + "garbage line\n";

  @Test
  void parsesAndUnescapes() {
    MountInfo mi = MountInfo.parse(TEXT);
    assertThat(mi.entries()).hasSize(5);
    MountInfo.Entry e = mi.at("/tmp/a b/mnt").orElseThrow();
    assertThat(e.id()).isEqualTo(40);
    assertThat(e.device()).isEqualTo("0:39");
    assertThat(e.type()).isEqualTo("fuse.partview");
    assertThat(e.isPartview()).isTrue();
    assertThat(e.source()).isEqualTo("/img/my disk.img");
    assertThat(e.options()).startsWith("ro,");
  }

  @Test
  void theTopmostMountWins() {
    MountInfo mi = MountInfo.parse(TEXT);
    assertThat(mi.at("/tmp/multi").orElseThrow().type()).isEqualTo("fuse.other");
    assertThat(mi.at("/tmp/none")).isEmpty();
  }

  @Test
  void findsMountsBelowAndBySource() {
    MountInfo mi = MountInfo.parse(TEXT);
    assertThat(mi.below("/tmp/multi"))
        .extracting(MountInfo.Entry::target)
        .containsExactly("/tmp/multi/ext");
    assertThat(mi.below("/tmp/mult")).isEmpty();
    assertThat(mi.withSource("/dev/loop3")).extracting(MountInfo.Entry::id).isEqualTo(List.of(42));
  }

  @Test
  void unescapesOnlyOctalTriples() {
    assertThat(MountInfo.unescape("a\\134b\\011c\\012")).isEqualTo("a\\b\tc\n");
    assertThat(MountInfo.unescape("a\\9b\\04")).isEqualTo("a\\9b\\04");
  }
}
