package dev.partview.cli.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The copy loop on its own: which bytes reach a sparse sink, where, and what the hash sees. */
class RangeCopierTest {
  @TempDir Path dir;

  /** Records what a sparse sink was asked to write. */
  static class Recording implements Sink {
    final byte[] bytes;
    final List<long[]> writes = new ArrayList<>();
    long finished = -1;

    Recording(int size) {
      bytes = new byte[size];
    }

    @Override
    public boolean sparse() {
      return true;
    }

    @Override
    public void write(ByteBuffer data, long offset) {
      writes.add(new long[] {offset, data.remaining()});
      data.get(bytes, (int) offset, data.remaining());
    }

    @Override
    public void zeros(long offset, long length) {}

    @Override
    public void finish(long length) {
      finished = length;
    }

    long written() {
      return writes.stream().mapToLong(w -> w[1]).sum();
    }
  }

  /** A file mapped for {@link ParallelCopy}; records its mappings and the zeros handed back. */
  static final class MappedRecording implements MappableSink, AutoCloseable {
    final FileChannel file;
    final List<long[]> maps = Collections.synchronizedList(new ArrayList<>());
    final List<long[]> unwritten = Collections.synchronizedList(new ArrayList<>());
    final List<long[]> writes = new ArrayList<>();
    boolean mappable = true;

    MappedRecording(Path path) throws IOException {
      file =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    }

    @Override
    public boolean sparse() {
      return true;
    }

    @Override
    public void write(ByteBuffer data, long offset) throws IOException {
      writes.add(new long[] {offset, data.remaining()});
      for (long pos = offset; data.hasRemaining(); ) pos += file.write(data, pos);
    }

    @Override
    public MappedByteBuffer map(long offset, long length) throws IOException {
      if (!mappable) throw new IOException("No such device");
      maps.add(new long[] {offset, length});
      return file.map(FileChannel.MapMode.READ_WRITE, offset, length);
    }

    @Override
    public void unwriteZeros(long offset, long length) {
      unwritten.add(new long[] {offset, length});
    }

    @Override
    public void zeros(long offset, long length) {}

    @Override
    public void finish(long length) throws IOException {
      file.truncate(length);
      if (file.size() < length) file.write(ByteBuffer.allocate(1), length - 1);
    }

    byte[] bytes() throws IOException {
      ByteBuffer all = ByteBuffer.allocate((int) file.size());
      while (all.hasRemaining() && file.read(all, all.position()) > 0) {}
      return all.array();
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }

  Path image(byte[] content) throws IOException {
    Path p = dir.resolve("img");
    Files.write(p, content);
    return p;
  }

  static RangeCopier.Result copy(
      RangeCopier.Strategy strategy, Path img, long start, long len, Sink sink, MessageDigest md)
      throws IOException {
    try (FileChannel ch = FileChannel.open(img, StandardOpenOption.READ)) {
      // Windows of three chunks: the tests' ranges span several mappings.
      return new RangeCopier(strategy, ZeroBlocks.BLOCK * 4, ZeroBlocks.BLOCK * 12)
          .copy(ch, start, len, DataExtents.allData(), sink, md, Progress.NONE);
    }
  }

  @ParameterizedTest
  @EnumSource(RangeCopier.Strategy.class)
  void zeroBlocksAlignedToTheOutputAreLeftOutAndEverythingElseLandsInPlace(
      RangeCopier.Strategy strategy) throws Exception {
    // The range starts 512 bytes into the image: output block k is image bytes 512+4096k...
    byte[] content = new byte[512 + 30 * 4096 + 100];
    new Random(7).nextBytes(content);
    int base = 512;
    Arrays.fill(content, base + 4096, base + 3 * 4096, (byte) 0); // output blocks 1, 2: zero
    Arrays.fill(content, base + 5 * 4096 + 1, base + 6 * 4096, (byte) 0); // block 5: one byte left
    Arrays.fill(content, base + 13 * 4096, base + 15 * 4096, (byte) 0); // 13, 14: across a window
    Arrays.fill(content, base + 29 * 4096, content.length, (byte) 0); // trailing zeros
    Path img = image(content);
    int len = content.length - base;
    Recording sink = new Recording(len);
    MessageDigest md = MessageDigest.getInstance("SHA-256");

    RangeCopier.Result r = copy(strategy, img, base, len, sink, md);

    byte[] expect = Arrays.copyOfRange(content, base, content.length);
    assertThat(sink.bytes).isEqualTo(expect);
    assertThat(sink.finished).isEqualTo(len);
    // Of 30 blocks and a 100-byte tail, 1, 2, 13, 14, 29 and the tail are left as holes.
    assertThat(r.bytesWritten()).isEqualTo(25L * 4096).isEqualTo(sink.written());
    for (long[] w : sink.writes) {
      assertThat(w[0] % 4096).as("write at %d", w[0]).isZero();
    }
    assertThat(md.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(expect));
  }

  @ParameterizedTest
  @EnumSource(RangeCopier.Strategy.class)
  void aStreamGetsEveryByteInOrder(RangeCopier.Strategy strategy) throws Exception {
    byte[] content = new byte[3 * 16384 + 33];
    new Random(3).nextBytes(content);
    Arrays.fill(content, 100, 20000, (byte) 0);
    Path img = image(content);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    copy(strategy, img, 33, content.length - 33, new StreamSink(Channels.newChannel(out)), null);
    assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(content, 33, content.length));
  }

  @ParameterizedTest
  @EnumSource(RangeCopier.Strategy.class)
  void anImageShorterThanTheRangeNamesTheOffsetWhereItEnds(RangeCopier.Strategy strategy)
      throws Exception {
    Path img = image(new byte[10000]);
    assertThatThrownBy(() -> copy(strategy, img, 0, 20000, new Recording(20000), null))
        .isInstanceOf(RangeIOException.class)
        .hasMessageContaining("ends at byte 10000")
        .hasMessageContaining("20000");
  }

  @ParameterizedTest
  @EnumSource(RangeCopier.Strategy.class)
  void aFailingSinkNamesTheOutputOffset(RangeCopier.Strategy strategy) throws Exception {
    byte[] content = new byte[5 * 4096];
    new Random(1).nextBytes(content);
    Path img = image(content);
    Sink checked =
        new Sink() {
          @Override
          public boolean sparse() {
            return false;
          }

          @Override
          public void write(ByteBuffer data, long offset) throws IOException {
            if (offset >= 16384) throw new IOException("No space left on device");
            data.position(data.limit());
          }

          @Override
          public void zeros(long offset, long length) {}

          @Override
          public void finish(long length) {}
        };
    assertThatThrownBy(() -> copy(strategy, img, 0, content.length, checked, null))
        .isInstanceOf(RangeIOException.class)
        .hasMessage("write error at output byte 16384: No space left on device");
  }

  /** What {@link ParallelCopy} did with a range: its result, and the recording of its output. */
  private record Parallel(RangeCopier.Result result, MappedRecording sink) {}

  /**
   * Copies {@code content} from {@code base} to its end with the PARALLEL strategy (windows of 12
   * blocks) into a recording file, and checks the bytes it holds then.
   */
  private Parallel copiedInParallel(byte[] content, int base) throws Exception {
    Path img = image(content);
    try (MappedRecording sink = new MappedRecording(dir.resolve("out"))) {
      RangeCopier.Result r =
          copy(RangeCopier.Strategy.PARALLEL, img, base, content.length - base, sink, null);
      assertThat(sink.bytes()).isEqualTo(Arrays.copyOfRange(content, base, content.length));
      return new Parallel(r, sink);
    }
  }

  @Test
  void aWindowReadWholeIntoTheMappingHandsItsZeroBlocksBack() throws Exception {
    // Windows of 12 blocks; only the last has zero blocks. It can start only once window 0 or 1
    // has finished, without zeros, so it is read whole into the output's mapping and scanned there.
    int base = 512;
    byte[] content = new byte[base + 36 * 4096];
    new Random(11).nextBytes(content);
    Arrays.fill(content, base + 26 * 4096, base + 28 * 4096, (byte) 0); // blocks 26, 27
    Arrays.fill(content, base + 30 * 4096 + 1, base + 31 * 4096, (byte) 0); // one byte left
    Parallel p = copiedInParallel(content, base);

    assertThat(p.result().bytesWritten()).isEqualTo(34L * 4096);
    assertThat(p.sink().writes).as("no bytes through the process").isEmpty();
    assertThat(p.sink().maps).as("its last block tried, then three windows").hasSize(4);
    assertThat(p.sink().unwritten).containsExactly(new long[] {26 * 4096, 2 * 4096});
  }

  @Test
  void aWindowWithZeroBlocksScannedFirstHasOnlyItsRunsWritten() throws Exception {
    // The first window is always scanned first; with zero blocks, its runs are written, not read
    // into the output's mapping (which would allocate the zeros between them).
    byte[] content = new byte[12 * 4096];
    new Random(12).nextBytes(content);
    Arrays.fill(content, 3 * 4096, 5 * 4096, (byte) 0);
    Arrays.fill(content, 11 * 4096, 12 * 4096, (byte) 0);
    Parallel p = copiedInParallel(content, 0);

    assertThat(p.result().bytesWritten()).isEqualTo(9L * 4096);
    assertThat(p.sink().writes)
        .containsExactly(new long[] {0, 3 * 4096}, new long[] {5 * 4096, 6 * 4096});
    assertThat(p.sink().maps).as("only its last block tried").hasSize(1);
    assertThat(p.sink().unwritten).isEmpty();
  }

  @Test
  void zeroBlocksNeverReachTheFileWhicheverWayEachWindowGoes() throws Exception {
    // Four windows of 12 blocks and a tail; which way the later ones go depends on which window
    // finished last. Either way: the right bytes, every write free of zero blocks, and every range
    // handed back all zeros.
    int base = 512;
    byte[] content = new byte[base + 48 * 4096 + 100];
    new Random(11).nextBytes(content);
    Arrays.fill(content, base + 26 * 4096, base + 28 * 4096, (byte) 0); // blocks 26, 27
    Arrays.fill(content, base + 40 * 4096, base + 41 * 4096, (byte) 0); // block 40
    Arrays.fill(content, base + 47 * 4096, content.length, (byte) 0); // trailing zeros
    Parallel p = copiedInParallel(content, base);

    assertThat(p.result().bytesWritten()).isEqualTo(44L * 4096);
    for (long[] w : p.sink().writes) {
      for (long b = w[0] / 4096; b * 4096 < w[0] + w[1]; b++) {
        assertThat(b).as("a write over zero block %d", b).isNotIn(26L, 27L, 40L, 47L);
      }
    }
    for (long[] u : p.sink().unwritten) {
      assertThat(u[0] % 4096).as("hole at %d", u[0]).isZero();
      assertThat(Arrays.copyOfRange(content, base + (int) u[0], base + (int) (u[0] + u[1])))
          .as("handed back at %d", u[0])
          .containsOnly(0);
    }
    for (long[] m : p.sink().maps) assertThat(m[1]).isLessThanOrEqualTo(12 * 4096);
  }

  @Test
  void anImageTruncatedUnderItsMappingNamesWhereItNowEnds() throws Exception {
    // The first write cuts the image to two blocks while the window (12 blocks) is still mapped:
    // reading the next chunk of it faults (SIGBUS), which must become the short-image error.
    byte[] content = new byte[24 * 4096];
    new Random(17).nextBytes(content);
    Path img = image(content);
    Recording cutting =
        new Recording(content.length) {
          @Override
          public void write(ByteBuffer data, long offset) {
            super.write(data, offset);
            try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
              ch.truncate(2 * 4096);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };
    assertThatThrownBy(() -> copy(RangeCopier.Strategy.MAP, img, 0, content.length, cutting, null))
        .isInstanceOf(RangeIOException.class)
        .hasMessageContaining("ends at byte 8192")
        .hasMessageContaining(Integer.toString(content.length));
  }

  @Test
  void aFileThatCannotBeMappedIsWrittenInstead() throws Exception {
    byte[] content = new byte[20 * 4096];
    new Random(13).nextBytes(content);
    Arrays.fill(content, 4096, 3 * 4096, (byte) 0);
    Path img = image(content);
    try (MappedRecording sink = new MappedRecording(dir.resolve("out"))) {
      sink.mappable = false;
      RangeCopier.Result r =
          copy(RangeCopier.Strategy.PARALLEL, img, 0, content.length, sink, null);

      assertThat(sink.bytes()).isEqualTo(content);
      assertThat(r.bytesWritten())
          .isEqualTo(18L * 4096)
          .isEqualTo(sink.writes.stream().mapToLong(w -> w[1]).sum());
    }
  }

  @Test
  void aMappedCopyFromAnImageShorterThanTheRangeNamesWhereItEnds() throws Exception {
    byte[] content = new byte[10000];
    new Random(5).nextBytes(content);
    Path img = image(content);
    try (MappedRecording sink = new MappedRecording(dir.resolve("out"))) {
      assertThatThrownBy(() -> copy(RangeCopier.Strategy.PARALLEL, img, 0, 20000, sink, null))
          .isInstanceOf(RangeIOException.class)
          .hasMessageContaining("ends at byte 10000")
          .hasMessageContaining("20000");
    }
  }

  @Test
  void withADigestTheBytesPassThroughTheProcessEvenIntoAFile() throws Exception {
    byte[] content = new byte[40000];
    new Random(9).nextBytes(content);
    Path img = image(content);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (MappedRecording sink = new MappedRecording(dir.resolve("out"))) {
      copy(RangeCopier.Strategy.PARALLEL, img, 0, content.length, sink, md);

      assertThat(sink.maps).as("the hash needs the bytes: no mapping of the output").isEmpty();
      assertThat(sink.bytes()).isEqualTo(content);
      assertThat(md.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(content));
    }
  }

  @Test
  void mappingsAreReleasedAtOnceNotLeftToTheCollector() {
    assertThat(Unmapper.available()).as("sun.misc.Unsafe.invokeCleaner reachable").isTrue();
  }
}
