package dev.partview.testimages;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An image attached by {@code losetup} with a chosen logical sector size, so that sfdisk and sgdisk
 * see the 1K/2K/4K sectors a plain file never has; {@link #close} detaches it, so a
 * try-with-resources block detaches it even when the test fails. Gate first with {@link
 * IntegrationEnvironment#requireLoop} and {@code requireTool("losetup")}.
 *
 * @param device the loop device, {@code /dev/loopN}
 */
public record LoopAttachment(String device) implements AutoCloseable {

  /** {@code losetup -b sectorSize -f --show image}, failing the test unless it attaches. */
  public static LoopAttachment attach(Path image, int sectorSize)
      throws IOException, InterruptedException {
    return attach(image, sectorSize, false);
  }

  /** The same with {@code -r}: the tools can read the image but not write it. */
  public static LoopAttachment attachReadOnly(Path image, int sectorSize)
      throws IOException, InterruptedException {
    return attach(image, sectorSize, true);
  }

  private static LoopAttachment attach(Path image, int sectorSize, boolean readOnly)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("losetup"));
    if (readOnly) command.add("-r");
    command.addAll(List.of("-b", Integer.toString(sectorSize), "-f", "--show", image.toString()));
    String device = Tool.ok(command.toArray(String[]::new)).out().strip();
    assertTrue(device.startsWith("/dev/loop"), () -> "losetup printed '" + device + "'");
    return new LoopAttachment(device);
  }

  public Path path() {
    return Path.of(device);
  }

  /**
   * {@code losetup -d}, failing the test unless it exits 0. An interrupt comes out as an {@link
   * InterruptedIOException} (interrupt flag kept): javac's lint, an error in this build, forbids
   * {@code close()} throwing {@link InterruptedException}.
   */
  @Override
  public void close() throws IOException {
    try {
      Tool.ok("losetup", "-d", device);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException io = new InterruptedIOException("losetup -d " + device);
      io.initCause(e);
      throw io;
    }
  }
}
