package dev.partview.fuse;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * Runs the read path before the mount is announced, so that the first {@code dd} of a fresh mount
 * already runs compiled code. Measured (fuse-core/README.md): without it the first pass over a
 * fresh mount runs at about half the speed of later passes.
 *
 * <p>It calls the adapter's own callbacks with native buffers, as libfuse would, over the first few
 * MiB of the first image (page-cache hot after the first round).
 */
final class JitWarmUp {
  private JitWarmUp() {}

  /** Overridable for measurements: {@code -Dpartview.warmup.rounds=0} turns warming off. */
  static final int ROUNDS = Integer.getInteger("partview.warmup.rounds", 12_000);

  static final long SPAN = 4L << 20;

  static void run(PartitionFs fs, PartitionFiles files) {
    Image img = files.images().get(0);
    if (img.size() == 0) return;
    String path = files.images().size() == 1 ? "/disk" : "/" + img.name() + "/disk";
    Runtime rt = Runtime.getSystemRuntime();
    Pointer buf = Memory.allocateDirect(rt, FuseMount.MAX_IO);
    FuseFileInfo fi = FuseFileInfo.of(Memory.allocateDirect(rt, 64, true));
    FileStat st = FileStat.of(Memory.allocateDirect(rt, 256, true));
    long span = Math.min(SPAN, img.size());
    for (int i = 0; i < ROUNDS; i++) {
      if (i % 64 == 0) {
        fs.getattr(path, st);
        fs.open(path, fi);
      }
      long off = ((long) i * FuseMount.MAX_IO) % span;
      fs.read(path, buf, FuseMount.MAX_IO, off, fi);
    }
  }
}
