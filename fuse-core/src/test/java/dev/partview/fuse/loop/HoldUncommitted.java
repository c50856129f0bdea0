package dev.partview.fuse.loop;

import java.nio.file.Path;

/**
 * Child process for {@link LoopDeviceIT}: attaches FILE's first MiB, prints the device number and
 * then waits forever without committing, to be killed with SIGKILL.
 */
public final class HoldUncommitted {
  private HoldUncommitted() {}

  public static void main(String[] args) throws Exception {
    AttachBatch batch = AttachBatch.system();
    LoopSpec spec = new LoopSpec(Path.of(args[0]), 0, 1 << 20, true, false, false, "held");
    System.out.println(batch.attach("held", spec, false).number());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
