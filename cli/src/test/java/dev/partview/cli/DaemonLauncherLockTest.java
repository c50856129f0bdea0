package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a launch that waited on a removed lock file knows it holds nothing (Linux /proc). */
class DaemonLauncherLockTest {
  @TempDir Path dir;

  @Test
  void aLockFileRemovedWhileWeHoldItIsSeenAsDeleted() throws Exception {
    Path lock = dir.resolve("mnt.log.lock");
    FileChannel held = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      assertThat(DaemonLauncher.openOnlyAsDeleted(lock)).isFalse();
      Files.delete(lock);
      assertThat(DaemonLauncher.openOnlyAsDeleted(lock)).isTrue();
      Files.createFile(lock); // the next holder's file: ours is still the removed one
      assertThat(DaemonLauncher.openOnlyAsDeleted(lock)).isTrue();
      FileChannel fresh = FileChannel.open(lock, StandardOpenOption.WRITE);
      try {
        assertThat(DaemonLauncher.openOnlyAsDeleted(lock)).isFalse();
      } finally {
        fresh.close();
      }
    } finally {
      held.close();
    }
  }
}
