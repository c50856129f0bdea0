package dev.partview.fuse;

import dev.partview.fuse.sys.DirectIo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads through the fresh mount before it is announced, so that the first {@code dd} of a user runs
 * at the speed of later ones. Two things make a cold mount slow, and only requests that come
 * through the kernel fix them:
 *
 * <ul>
 *   <li>jffi attaches a libfuse worker thread to the JVM for each callback and detaches it again
 *       afterwards (a java.lang.Thread created and torn down per request), until that thread has
 *       made 1000 callbacks; from then on it stays attached;
 *   <li>jnr's generated glue between libfuse and {@link PartitionFs#read_buf} runs interpreted
 *       until the JIT has seen it some ten thousand times.
 * </ul>
 *
 * So: a few threads make small O_DIRECT reads of the whole-disk file (O_DIRECT, so that each one
 * reaches the daemon and nothing lands in the page cache) until the workers stay attached. Every
 * attach starts a Java thread, so the JVM's count of started threads tells when that is: the
 * warm-up stops after a round of requests that started (almost) none.
 *
 * <p>Three threads, not more: libfuse 2 starts a worker whenever none is idle and ends one whenever
 * more than ten are, so with eight requesting threads (and attaching being slow) workers were
 * started and ended all the time, the work done on the ended ones was lost, and the attach rate
 * never fell. Measured (bench/RESULTS.md): after the former fixed 12,000 requests from 8 threads,
 * 1,600–3,800 of the 4,096 requests of the first 512 MiB read still attached a thread; with three
 * threads the warm-up settles after ~15,000 requests (~10 workers, no new attach after that), mount
 * time is unchanged (~1.1 s), and the first read ran at 1,580–1,650 MB/s against 830–1,270. Errors
 * end the warm-up quietly: it only buys speed.
 */
final class WorkerWarmUp {
  private WorkerWarmUp() {}

  /**
   * Upper bound on the requests; overridable for measurements: {@code -Dpartview.warmup.requests=0}
   * turns the warm-up off.
   */
  static final int REQUESTS = Integer.getInteger("partview.warmup.requests", 60_000);

  static final int THREADS = 3;
  static final int BLOCK = 4096;
  static final long TIME_LIMIT_NANOS = 3_000_000_000L;

  /** Requests per check of the attach rate. */
  static final int ROUND = 2_000;

  /** Settled: fewer threads started than this share of a round's requests. */
  static final double SETTLED = 0.02;

  static void run(Path diskFile, long size) throws InterruptedException {
    if (REQUESTS <= 0 || size < BLOCK || DirectIo.option().isEmpty()) return;
    long span = Math.min(size / BLOCK, 64);
    long deadline = System.nanoTime() + TIME_LIMIT_NANOS;
    AtomicLong done = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Thread th =
          new Thread(
              () -> {
                try (FileChannel ch =
                    FileChannel.open(diskFile, StandardOpenOption.READ, DirectIo.option().get())) {
                  ByteBuffer bb = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK);
                  for (long i = 0; !stop.get(); i++) {
                    bb.clear().limit(BLOCK);
                    ch.read(bb, (i % span) * BLOCK);
                    done.incrementAndGet();
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
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long roundStart = 0;
    long startedAtRoundStart = mx.getTotalStartedThreadCount();
    while (true) {
      Thread.sleep(5);
      long n = done.get();
      boolean alive = threads.stream().anyMatch(Thread::isAlive);
      if (!alive || n >= REQUESTS || System.nanoTime() > deadline) break;
      if (n - roundStart >= ROUND) {
        long started = mx.getTotalStartedThreadCount();
        if (started - startedAtRoundStart < SETTLED * (n - roundStart)) break;
        roundStart = n;
        startedAtRoundStart = started;
      }
    }
    stop.set(true);
    for (Thread th : threads) th.join();
  }
}
