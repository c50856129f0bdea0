package dev.partview.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FuseMountTest {
  @TempDir Path dir;

  @Test
  void optionValuesEscapeCommasAndBackslashes() {
    assertThat(FuseMount.escapeOption("/img/a,b\\c.img")).isEqualTo("/img/a\\,b\\\\c.img");
  }

  @Test
  void theTargetIsSpelledAsMountinfoWillSpellIt() throws Exception {
    Path real = Files.createDirectories(dir.resolve("real"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);
    String parent = dir.toRealPath().toString();
    assertThat(FuseMount.canonicalTarget(link.resolve("../real/./mnt")))
        .isEqualTo(parent + "/real/mnt");
    // A link as the mount point itself: mount(2) follows it.
    assertThat(FuseMount.canonicalTarget(link)).isEqualTo(parent + "/real");
    assertThatThrownBy(() -> FuseMount.canonicalTarget(dir.resolve("no/such/dir")))
        .isInstanceOf(MountException.class)
        .hasMessageContaining("no such directory");
    assertThatThrownBy(() -> FuseMount.canonicalTarget(Path.of("/")))
        .hasMessageContaining("cannot mount on /");
  }

  @Test
  void rootUnmountsWithUmountAndNeverLazily() {
    assertThat(Unmounter.command("/mnt/x")).doesNotContain("-z", "-l").last().isEqualTo("/mnt/x");
  }
}
