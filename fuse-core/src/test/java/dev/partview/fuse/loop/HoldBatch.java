package dev.partview.fuse.loop;

import java.nio.file.Path;

/**
 * Child process for {@link LoopDeviceIT}: attaches the first two MiB of FILE as two devices,
 * commits them when asked ({@code FILE commit}), with {@code FILE commit MARKER} also a rollback
 * step that creates MARKER, prints the device numbers on one line and then waits forever without
 * closing the batch, to be killed.
 */
public final class HoldBatch {
  private HoldBatch() {}

  public static void main(String[] args) throws Exception {
    AttachBatch batch = AttachBatch.system();
    StringBuilder numbers = new StringBuilder();
    for (int i = 0; i < 2; i++) {
      LoopSpec spec =
          new LoopSpec(Path.of(args[0]), i << 20, 1 << 20, true, false, false, 0, "held" + i);
      numbers.append(batch.attach("held" + i, spec, false).number()).append(' ');
    }
    if (args.length > 2) {
      // FILE commit MARKER: a rollback step that leaves MARKER behind, to show that it ran
      Path marker = Path.of(args[2]);
      batch.onRollback(
          () -> {
            try {
              java.nio.file.Files.createFile(marker);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    }
    if (args.length > 1 && args[1].equals("commit")) batch.commit(true);
    System.out.println(numbers.toString().strip());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
