package dev.partview.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountProbeTest {

  /**
   * A mount listed a moment ago and removed before the probe: the folder's own filesystem answers,
   * which must not pass for the daemon (libfuse 2 mounts, then undoes it on an unknown option).
   */
  @Test
  void aFolderWithoutFuseOnItIsGone(@TempDir Path dir) throws Exception {
    assertThat(MountProbe.probe(dir.toString(), Duration.ofSeconds(5)))
        .isEqualTo(MountProbe.State.GONE);
  }
}
