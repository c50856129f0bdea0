package dev.partview.fuse;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Raises the kernel's read-ahead for a fresh mount from 128 KiB to {@link #WANTED_KIB}, so that a
 * sequential read keeps several requests in flight and both the reader and libfuse's workers stay
 * busy; {@link #MAX_BACKGROUND} lets the kernel have them all in flight at once. Measurements:
 * fuse-core/README.md, "Speed".
 *
 * <p>Why here and not a mount option: the kernel starts every FUSE mount at its default of 128 KiB
 * (one libfuse 2 request), and when libfuse answers its INIT request it lowers that to libfuse's
 * {@code max_readahead}, never raises it. The one way up is the mount's entry in {@code
 * /sys/class/bdi/MAJOR:MINOR/}, which only root may write, and only after INIT, or the answer
 * lowers it again. The kernel copies the value into each file when it is opened: {@link FuseMount}
 * raises it before it announces the mount, so that only files opened in the moment between INIT and
 * the raise (by someone watching the folder) keep 128 KiB. Other users, and root where {@code /sys}
 * is read-only (containers), keep the default: their mounts work the same, only first reads are
 * slower.
 */
final class ReadAhead {
  private ReadAhead() {}

  /**
   * The read-ahead partview raises a mount to; {@code -Dpartview.readAheadKb=N} raises it to N
   * instead, for measurements (a value at or under the kernel's 128 changes nothing).
   */
  static final int WANTED_KIB = Integer.getInteger("partview.readAheadKb", 2048);

  /**
   * libfuse's {@code max_background} for every mount: how many asynchronous requests (read-ahead)
   * the kernel keeps in flight. The kernel skips read-ahead while more than three quarters of that
   * number are in flight, so it is half again the read-ahead's requests of 128 KiB (24 for 16), at
   * least libfuse's default of 12. At 2 MiB, libfuse's 12 made the first read slower than at 1 MiB.
   */
  static final int MAX_BACKGROUND = Math.max(12, WANTED_KIB / 128 * 3 / 2);

  /**
   * Raises the read-ahead of the mount whose device is {@code majorMinor} ({@code 0:52}, from
   * mountinfo) to {@link #WANTED_KIB} unless it is already that high.
   *
   * @return why it stays as it is, for the daemon's log; empty when raised, already high enough, or
   *     not allowed here (not root, a read-only {@code /sys}), which is expected and documented
   */
  static Optional<String> raise(String majorMinor) {
    return raise(Path.of("/sys/class/bdi", majorMinor, "read_ahead_kb"), WANTED_KIB);
  }

  static Optional<String> raise(Path knob, int kib) {
    try {
      int now = Integer.parseInt(Files.readString(knob).trim());
      if (now < kib) Files.writeString(knob, Integer.toString(kib));
      return Optional.empty();
    } catch (IOException e) {
      return why(knob, e, onReadOnlyFilesystem(knob));
    } catch (NumberFormatException e) {
      return Optional.of(STAYS + knob + ": not a number: " + e.getMessage());
    }
  }

  private static final String STAYS = "read-ahead stays at the kernel's default: ";

  /**
   * Nothing where raising is not allowed here (not root, a read-only {@code /sys}); otherwise one
   * line naming the knob and the reason.
   */
  static Optional<String> why(Path knob, IOException e, boolean readOnlyFilesystem) {
    if (e instanceof AccessDeniedException || readOnlyFilesystem) return Optional.empty();
    if (e instanceof NoSuchFileException) return Optional.of(STAYS + knob + ": no such file");
    String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
    return Optional.of(STAYS + knob + ": " + reason);
  }

  private static boolean onReadOnlyFilesystem(Path knob) {
    try {
      return Files.getFileStore(knob).isReadOnly();
    } catch (IOException e) {
      return false;
    }
  }
}
