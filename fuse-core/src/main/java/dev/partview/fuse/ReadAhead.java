package dev.partview.fuse;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Raises the kernel's read-ahead for a fresh mount from 128 KiB to {@link #KIB}, so that a
 * sequential read keeps several requests in flight and both the reader and libfuse's workers stay
 * busy.
 *
 * <p>Why here and not a mount option: the kernel starts every FUSE mount at its default of 128 KiB
 * (one libfuse 2 request) and only lets the filesystem's {@code max_readahead} lower that, never
 * raise it. The one way up is the mount's entry in {@code /sys/class/bdi/MAJOR:MINOR/}, which only
 * root may write. Measured on bench/run's image (bench/RESULTS.md): a first read of a 512 MiB
 * partition went from a median of ~1,830 to ~2,500 MB/s at 256 KiB and above, with no further gain
 * past 1 MiB. Other users keep the default: their mounts work the same, only their first reads are
 * slower. The kernel copies the value into each file when it is opened, so it is set before the
 * mount is announced.
 */
final class ReadAhead {
  private ReadAhead() {}

  /** The read-ahead partview asks for; {@code -Dpartview.readAheadKb=N} overrides it for bench. */
  static final int KIB = Integer.getInteger("partview.readAheadKb", 1024);

  private static final String STAYS = "read-ahead stays at the kernel's default: ";

  /**
   * Raises the read-ahead of the mount whose device is {@code majorMinor} ({@code 0:52}, from
   * mountinfo) to {@link #KIB} unless it is already that high.
   *
   * @return why it stays as it is, for the daemon's log; empty when raised, already high enough, or
   *     not root
   */
  static Optional<String> raise(String majorMinor) {
    return raise(Path.of("/sys/class/bdi", majorMinor, "read_ahead_kb"), KIB);
  }

  static Optional<String> raise(Path knob, int kib) {
    try {
      int now = Integer.parseInt(Files.readString(knob).trim());
      if (now >= kib) return Optional.empty();
      Files.writeString(knob, Integer.toString(kib));
      return Optional.empty();
    } catch (AccessDeniedException e) {
      return Optional.empty(); // not root: expected, and said in the README, not at every mount
    } catch (NoSuchFileException e) {
      return Optional.of(STAYS + knob + ": no such file");
    } catch (FileSystemException e) { // e.g. a read-only /sys in a container
      return Optional.of(STAYS + knob + ": " + e.getReason());
    } catch (IOException | NumberFormatException e) {
      return Optional.of(STAYS + knob + ": " + e.getMessage());
    }
  }
}
