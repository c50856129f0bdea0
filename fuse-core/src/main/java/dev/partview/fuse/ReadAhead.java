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
 * busy; {@link #MAX_BACKGROUND} lets the kernel have them all in flight at once.
 *
 * <p>Why here and not a mount option: the kernel starts every FUSE mount at its default of 128 KiB
 * (one libfuse 2 request) and only lets the filesystem's {@code max_readahead} lower that, never
 * raise it. The one way up is the mount's entry in {@code /sys/class/bdi/MAJOR:MINOR/}, which only
 * root may write. Other users keep the default: their mounts work the same, only their first reads
 * are slower. The kernel copies the value into each file when it is opened, so it is set before the
 * mount is announced.
 *
 * <p>Measured on bench/run's image (bench/RESULTS.md), first read of a 512 MiB partition, medians
 * of alternating fresh mounts: ~1,830 MB/s at 128 KiB; ~2,500 at 256 KiB to 1 MiB; at 2 MiB ~2,200
 * with libfuse's 12 background requests but ~2,650–3,000 with 24, against ~2,370–2,770 for 1 MiB
 * and 12 in the same batches.
 */
final class ReadAhead {
  private ReadAhead() {}

  /** The read-ahead partview asks for; {@code -Dpartview.readAheadKb=N} overrides it for bench. */
  static final int KIB = Integer.getInteger("partview.readAheadKb", 2048);

  /**
   * libfuse's {@code max_background} for every mount: how many asynchronous requests (read-ahead)
   * the kernel keeps in flight. The kernel skips read-ahead while more than three quarters of that
   * number are in flight, and {@link #KIB} takes 16 requests of 128 KiB: libfuse's default of 12
   * (threshold 9) made 2 MiB slower than 1 MiB; 24 (threshold 18) lets all 16 through.
   */
  static final int MAX_BACKGROUND = 24;

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
