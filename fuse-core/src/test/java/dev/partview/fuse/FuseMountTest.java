package dev.partview.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partview.table.ReadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    // Followed by name one hop at a time (never stat-ing through): a chain, a relative "..".
    Files.createDirectories(real.resolve("sub"));
    Path rel = Files.createSymbolicLink(real.resolve("sub/up"), Path.of("../.."));
    Path chain = Files.createSymbolicLink(dir.resolve("chain"), rel);
    assertThat(FuseMount.canonicalTarget(chain)).isEqualTo(parent);
    // ".." after a link goes up from where the link leads, not from where it sits (the kernel's
    // rule): lnk -> s/../m2 with s -> real/deep is real/m2, not m2.
    Files.createDirectories(real.resolve("deep"));
    Files.createSymbolicLink(dir.resolve("s"), real.resolve("deep"));
    Files.createDirectories(dir.resolve("m2"));
    Path lnk = Files.createSymbolicLink(dir.resolve("lnk"), Path.of("s/../m2"));
    assertThat(FuseMount.canonicalTarget(lnk)).isEqualTo(parent + "/real/m2");
    assertThat(FuseMount.canonicalTarget(dir.resolve("s/../x"))).isEqualTo(parent + "/real/x");
    assertThat(FuseMount.canonicalTarget(dir.resolve("real/."))).isEqualTo(parent + "/real");
    Path loop = Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
    assertThatThrownBy(() -> FuseMount.canonicalTarget(loop))
        .hasMessageContaining("too many levels of symbolic links");
    assertThatThrownBy(() -> FuseMount.canonicalTarget(dir.resolve("no/such/dir")))
        .isInstanceOf(MountException.class)
        .hasMessageContaining("no such directory");
    assertThatThrownBy(() -> FuseMount.canonicalTarget(Path.of("/")))
        .hasMessageContaining("cannot mount on /");
  }

  @Test
  void theUsersOptionsComeLastSoThatTheirsWin() {
    // libfuse reads -o left to right; the last max_background=N is the one it uses.
    FuseMount.Config config =
        new FuseMount.Config(
            List.of(Path.of("/img/disk.img")),
            Path.of("/mnt/x"),
            false,
            List.of(),
            List.of("max_background=8"),
            ReadOptions.defaults(),
            false);
    List<String> args = FuseMount.fuseArgs(config, "/img/disk.img");
    assertThat(args).hasSize(2).first().isEqualTo("-o");
    List<String> options = List.of(args.get(1).split(","));
    assertThat(options).contains("max_background=" + ReadAhead.MAX_BACKGROUND, "ro");
    assertThat(options.indexOf("max_background=8"))
        .isEqualTo(options.size() - 1)
        .isGreaterThan(options.indexOf("max_background=" + ReadAhead.MAX_BACKGROUND));
  }

  @Test
  void rootUnmountsWithUmountAndNeverLazily() {
    assertThat(Unmounter.command("/mnt/x")).doesNotContain("-z", "-l").last().isEqualTo("/mnt/x");
  }
}
