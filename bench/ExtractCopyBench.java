import dev.partview.cli.extract.AtomicFileSink;
import dev.partview.cli.extract.DataExtents;
import dev.partview.cli.extract.Progress;
import dev.partview.cli.extract.RangeCopier;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jnr.ffi.LibraryLoader;
import jnr.ffi.byref.LongLongByReference;
import jnr.ffi.types.size_t;

/**
 * The copy strategies extract chose between, on one 512 MiB range (from byte 1 MiB) of an image in
 * the page cache, to a new file on the same filesystem. One JVM, C1 only, alternating strategies,
 * sync before each run; prints median and minimum of wall and thread CPU time per strategy.
 *
 * <pre>
 *   java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp cli/target/partview.jar \
 *       bench/ExtractCopyBench.java IMAGE OUT ROUNDS
 * </pre>
 *
 * transferTo (sendfile on JDK 17) and copy_file_range copy inside the kernel and cannot see zeros;
 * the buffered and mapped ones check every 4 KiB block and write only non-zero runs, which is what
 * extract needs. "scan only" maps and checks without copying; "scan ahead+transferTo" is what
 * extract did into a file before its parallel copy: a second thread maps and checks the next 64 MiB
 * window while this one has the kernel copy the non-zero runs of the window before. "extract's
 * copier" runs extract's own code (RangeCopier, PARALLEL: two threads read windows of the image
 * into a mapping of an AtomicFileSink), so its CPU column counts only this thread's waiting.
 */
public class ExtractCopyBench {
  public interface LibC {
    int open(String path, int flags, int mode);

    int close(int fd);

    long copy_file_range(
        int in, LongLongByReference offIn, int out, LongLongByReference offOut, @size_t long len,
        int flags);
  }

  static final int BLOCK = 4096;
  static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(BLOCK);
  static final long START = 1 << 20;
  static final long LEN = 512L << 20;

  static void extractsCopier(Path img, Path out) throws IOException {
    try (FileChannel in = FileChannel.open(img);
        AtomicFileSink sink = AtomicFileSink.create(out, false)) {
      new RangeCopier(RangeCopier.Strategy.PARALLEL, RangeCopier.DEFAULT_CHUNK)
          .copy(in, START, LEN, DataExtents.allData(), sink, null, Progress.NONE);
      sink.commit();
    }
  }

  public static void main(String[] a) throws Throwable {
    Path img = Path.of(a[0]);
    Path out = Path.of(a[1]);
    int rounds = Integer.parseInt(a[2]);
    LibC libc = LibraryLoader.create(LibC.class).load("c");
    String[] modes = {"transferTo", "copy_file_range", "pread+pwrite 1M", "pread+pwrite 4M",
        "mmap 16M+write", "mmap 64M+write", "scan only", "scan ahead+transferTo",
        "pread+pwrite 4M x2", "extract's copier"};
    Map<String, List<double[]>> res = new LinkedHashMap<>();
    var mx = ManagementFactory.getThreadMXBean();
    for (int r = 0; r < rounds; r++) {
      for (String mode : modes) {
        Files.deleteIfExists(out);
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        if (mode.equals("copy_file_range")) {
          copyFileRange(libc, img, out);
        } else if (mode.equals("extract's copier")) {
          extractsCopier(img, out);
        } else {
          try (FileChannel in = FileChannel.open(img);
              FileChannel o =
                  FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            if (mode.equals("transferTo")) {
              for (long done = 0; done < LEN; ) done += in.transferTo(START + done, LEN - done, o);
            } else if (mode.equals("scan only")) {
              for (long done = 0; done < LEN; done += WINDOW) scan(in, done);
            } else if (mode.equals("scan ahead+transferTo")) {
              scanAhead(in, o);
            } else if (mode.endsWith("x2")) {
              twoThreads(in, o, 4 << 20);
            } else if (mode.startsWith("pread")) {
              buffered(in, o, mode.endsWith("4M") ? 4 << 20 : 1 << 20);
            } else {
              mapped(in, o, mode.contains("64M") ? 64 << 20 : 16 << 20);
            }
          }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        res.computeIfAbsent(mode, k -> new ArrayList<>()).add(new double[] {wall, cpu});
      }
    }
    Files.deleteIfExists(out);
    System.out.printf("%-18s %12s %9s %12s %9s%n", "strategy", "wall median", "min", "cpu median", "min");
    for (var e : res.entrySet()) {
      List<Double> w = new ArrayList<>();
      List<Double> c = new ArrayList<>();
      for (double[] v : e.getValue()) {
        w.add(v[0]);
        c.add(v[1]);
      }
      Collections.sort(w);
      Collections.sort(c);
      System.out.printf("%-18s %10.3f s %7.3f s %10.3f s %7.3f s%n", e.getKey(),
          w.get(w.size() / 2), w.get(0), c.get(c.size() / 2), c.get(0));
    }
  }

  static void buffered(FileChannel in, FileChannel out, int size) throws IOException {
    ByteBuffer b = ByteBuffer.allocateDirect(size);
    for (long done = 0; done < LEN; ) {
      int n = (int) Math.min(size, LEN - done);
      b.clear().limit(n);
      while (b.hasRemaining()) in.read(b, START + done + b.position());
      b.flip();
      writeNonZero(b, out, done);
      done += n;
    }
  }

  /**
   * {@link #buffered} on two threads: a second thread preads the next block into one of two buffers
   * (and so also finds its zero blocks in cache) while this one writes the other: the way two dd
   * processes on halves of the range overlap their copies.
   */
  static void twoThreads(FileChannel in, FileChannel out, int size) throws Exception {
    ByteBuffer[] bufs = {ByteBuffer.allocateDirect(size), ByteBuffer.allocateDirect(size)};
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      Future<ByteBuffer> next = reader.submit(() -> fill(in, bufs[0], 0, size));
      for (long done = 0; done < LEN; ) {
        ByteBuffer b = next.get();
        long after = done + b.remaining();
        int other = b == bufs[0] ? 1 : 0;
        if (after < LEN) next = reader.submit(() -> fill(in, bufs[other], after, size));
        writeNonZero(b, out, done);
        done = after;
      }
    } finally {
      reader.shutdown();
    }
  }

  static ByteBuffer fill(FileChannel in, ByteBuffer b, long done, int size) throws IOException {
    b.clear().limit((int) Math.min(size, LEN - done));
    while (b.hasRemaining()) in.read(b, START + done + b.position());
    return b.flip();
  }

  static void mapped(FileChannel in, FileChannel out, int window) throws Throwable {
    for (long done = 0; done < LEN; ) {
      int n = (int) Math.min(window, LEN - done);
      MappedByteBuffer m = in.map(FileChannel.MapMode.READ_ONLY, START + done, n);
      writeNonZero(m, out, done);
      UNMAP.invokeExact((ByteBuffer) m);
      done += n;
    }
  }

  /** Writes the runs of non-zero 4 KiB blocks of {@code b} at output offset {@code at}. */
  static void writeNonZero(ByteBuffer b, FileChannel out, long at) throws IOException {
    for (int[] r : nonZeroRuns(b)) {
      ByteBuffer run = b.duplicate().limit(r[1]).position(r[0]);
      while (run.hasRemaining()) out.write(run, at + run.position());
    }
  }

  /** The runs [from, to) of non-zero 4 KiB blocks of {@code b}. */
  static List<int[]> nonZeroRuns(ByteBuffer b) {
    List<int[]> runs = new ArrayList<>();
    ByteBuffer view = b.duplicate();
    int n = b.limit();
    int i = 0;
    while (i < n) {
      while (i < n && zero(view, i, Math.min(n, i + BLOCK))) i += BLOCK;
      int j = i;
      while (j < n && !zero(view, j, Math.min(n, j + BLOCK))) j += BLOCK;
      j = Math.min(j, n);
      if (j > i) runs.add(new int[] {i, j});
      i = j;
    }
    return runs;
  }

  static final int WINDOW = 64 << 20;

  /** Maps the window at output offset {@code at}, finds its non-zero runs, unmaps it. */
  static List<int[]> scan(FileChannel in, long at) throws Throwable {
    MappedByteBuffer m =
        in.map(FileChannel.MapMode.READ_ONLY, START + at, Math.min(WINDOW, LEN - at));
    try {
      return nonZeroRuns(m);
    } finally {
      UNMAP.invokeExact((ByteBuffer) m);
    }
  }

  static void scanAhead(FileChannel in, FileChannel out) throws Exception {
    ExecutorService scanner = Executors.newSingleThreadExecutor();
    try {
      Future<List<int[]>> next = scanner.submit(() -> scanUnchecked(in, 0));
      for (long done = 0; done < LEN; done += WINDOW) {
        List<int[]> runs = next.get();
        long after = done + WINDOW;
        if (after < LEN) next = scanner.submit(() -> scanUnchecked(in, after));
        for (int[] r : runs) {
          out.position(done + r[0]);
          for (long d = r[0]; d < r[1]; ) d += in.transferTo(START + done + d, r[1] - d, out);
        }
      }
    } finally {
      scanner.shutdown();
    }
  }

  static List<int[]> scanUnchecked(FileChannel in, long at) throws Exception {
    try {
      return scan(in, at);
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  static boolean zero(ByteBuffer view, int from, int to) {
    view.limit(to).position(from);
    return view.mismatch(ZEROS.limit(to - from).position(0)) < 0;
  }

  static void copyFileRange(LibC libc, Path img, Path out) throws IOException {
    int in = libc.open(img.toString(), 0, 0);
    int o = libc.open(out.toString(), 01 | 0100 | 0200, 0644); // O_WRONLY|O_CREAT|O_EXCL
    LongLongByReference offIn = new LongLongByReference(START);
    LongLongByReference offOut = new LongLongByReference(0);
    for (long done = 0; done < LEN; ) {
      long r = libc.copy_file_range(in, offIn, o, offOut, Math.min(64 << 20, LEN - done), 0);
      if (r <= 0) throw new IOException("copy_file_range returned " + r);
      done += r;
    }
    libc.close(in);
    libc.close(o);
  }

  static final MethodHandle UNMAP;

  static {
    try {
      Class<?> u = Class.forName("sun.misc.Unsafe");
      Field f = u.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      UNMAP = MethodHandles.lookup()
          .findVirtual(u, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
          .bindTo(f.get(null));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
