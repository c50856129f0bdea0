package dev.partview.cli.extract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.fuse.sys.Sys;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEEK_DATA/SEEK_HOLE through the libc binding on a real sparse file (the temporary directory's
 * filesystem must keep holes: ext4, xfs, btrfs and tmpfs do).
 */
class DataExtentsIT {
  @TempDir Path dir;

  static final long MIB = 1 << 20;

  @Test
  void findsTheDataOfASparseFileOnceZerosHaveBeenSeen() throws Exception {
    Path f = dir.resolve("sparse");
    try (FileChannel ch =
        FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1}), 10 * MIB); // data at 10 MiB (one block)
      ch.write(ByteBuffer.wrap(new byte[(int) MIB]).put(0, (byte) 2), 40 * MIB); // 40..41 MiB
      ch.truncate(100 * MIB);
      ch.write(ByteBuffer.allocate(1), 100 * MIB - 1); // zero byte at the very end: data
    }
    try (DataExtents extents = DataExtents.of(f, 4 * MIB)) {
      long end = 100 * MIB;
      // Not bound yet: everything is data, one step at a time.
      assertThat(extents.nextData(0, end)).isZero();
      assertThat(extents.dataEnd(0, end)).isEqualTo(4 * MIB);
      assertThat(extents.fromFilesystem()).isFalse();

      extents.zerosSeen();
      Sys.bindInBackground().get(30, TimeUnit.SECONDS);
      assertThat(extents.nextData(0, end)).isEqualTo(10 * MIB);
      assertThat(extents.fromFilesystem()).isTrue();
      long hole = extents.dataEnd(10 * MIB, end);
      assertThat(hole).isGreaterThan(10 * MIB).isLessThanOrEqualTo(40 * MIB);
      assertThat(extents.nextData(hole, end)).isEqualTo(40 * MIB);
      assertThat(extents.dataEnd(40 * MIB, end)).isGreaterThanOrEqualTo(41 * MIB);
      assertThat(extents.nextData(42 * MIB, end)).isGreaterThan(90 * MIB).isLessThan(end);
      // A range that stops before the next data is all hole.
      assertThat(extents.nextData(42 * MIB, 50 * MIB)).isEqualTo(50 * MIB);
    }
  }

  @Test
  void theAllDataAnswerIsOneRange() {
    try (DataExtents all = DataExtents.allData()) {
      all.zerosSeen();
      assertThat(all.nextData(5, 100)).isEqualTo(5);
      assertThat(all.dataEnd(5, 100)).isEqualTo(100);
    }
  }
}
