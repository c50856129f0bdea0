package dev.partview.fuse;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads through the fresh mount before it is announced, so that the first {@code dd} of a user runs
 * at the speed of later ones. Two things make a cold mount slow, and only requests that come
 * through the kernel fix them:
 *
 * <ul>
 *   <li>jffi attaches a libfuse worker thread to the JVM for each callback and detaches it again
 *       afterwards (a java.lang.Thread created and torn down per request), until that thread has
 *       made 1000 callbacks; from then on it stays attached;
 *   <li>jnr's generated glue between libfuse and {@link PartitionFs#read} runs interpreted until
 *       the JIT has seen it some ten thousand times.
 * </ul>
 *
 * So: several threads make small O_DIRECT reads of the whole-disk file (O_DIRECT, so that each one
 * reaches the daemon and nothing lands in the page cache), enough for every worker libfuse starts
 * for them to pass the threshold. Measured in fuse-core/README.md. Errors end the warm-up quietly:
 * it only buys speed.
 */
final class WorkerWarmUp {
  private WorkerWarmUp() {}

  /** Overridable for measurements: {@code -Dpartview.warmup.requests=0} turns it off. */
  static final int REQUESTS = Integer.getInteger("partview.warmup.requests", 12_000);

  static final int THREADS = 8;
  static final int BLOCK = 4096;
  static final long TIME_LIMIT_NANOS = 3_000_000_000L;

  static void run(Path diskFile, long size) throws InterruptedException {
    if (REQUESTS <= 0 || size < BLOCK) return;
    long span = Math.min(size / BLOCK, 64);
    long deadline = System.nanoTime() + TIME_LIMIT_NANOS;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Thread th =
          new Thread(
              () -> {
                try (FileChannel ch =
                    FileChannel.open(
                        diskFile, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                  ByteBuffer bb = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK);
                  for (int i = 0; i < REQUESTS / THREADS && System.nanoTime() < deadline; i++) {
                    bb.clear().limit(BLOCK);
                    ch.read(bb, (i % span) * BLOCK);
                  }
                } catch (IOException | RuntimeException e) {
                  // a filesystem or kernel without O_DIRECT on FUSE: just no warm-up
                }
              },
              "partview-warmup-" + t);
      th.setDaemon(true);
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) th.join();
  }
}
