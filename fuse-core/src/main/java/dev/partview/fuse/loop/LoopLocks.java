package dev.partview.fuse.loop;

import dev.partview.fuse.sys.ErrnoException;
import dev.partview.fuse.sys.LibC;
import dev.partview.fuse.sys.Sys;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import jnr.constants.platform.Errno;

/**
 * The two system-wide locks that keep partview processes from undoing each other's loop devices,
 * plain flocks on files in {@code /run/partview}:
 *
 * <ul>
 *   <li>{@link #ATTACH_LOCK}, exclusive, from the search for an identical device until a new one is
 *       configured (milliseconds): without it, two attaches of one range at the same moment each
 *       find no identical device and each make one. Never held during a mount.
 *   <li>{@link #BATCH_LOCK}, shared by every attach from its first device until its devices are
 *       published or rolled back, exclusive for a detach. An attach holds its new devices open with
 *       AUTOCLEAR until it commits them; a detach in between would only add AUTOCLEAR (a lazy
 *       detach, since the attach holds them), which the commit then clears: the detach said
 *       "detaches at last close" and the devices stayed for good. So a detach waits for the
 *       attaches in progress, and attaches wait for a detach.
 * </ul>
 *
 * <p>Lock files of partview's own rather than locks on the images, because images are other
 * people's files: a user's {@code flock disk.img partview attach disk.img} would wait for itself
 * forever, NFS turns flock into the fcntl locks QEMU holds on its images, and an image on a FUSE
 * mount may not support locks at all. What is shared is the system's set of loop devices, so the
 * locks are system-wide, in the directory that already holds root's partview logs. Plain flocks, so
 * {@code flock /run/partview/attach.lock CMD} holds partview off and lslocks shows who holds them.
 */
final class LoopLocks {
  private LoopLocks() {}

  static final Path ATTACH_LOCK = Path.of("/run/partview/attach.lock");
  static final Path BATCH_LOCK = Path.of("/run/partview/batch.lock");

  /** Each holder keeps a lock for milliseconds to seconds; this long means one is stuck. */
  private static final long WAIT_MS = 30_000;

  /** {@link #ATTACH_LOCK}: its descriptor (closing it lets go), or -1 (see {@link #open}). */
  static int findOrAttach() throws IOException {
    return take(ATTACH_LOCK, true, "another partview attach");
  }

  /** {@link #BATCH_LOCK} for an attach, shared; -1 as for {@link #findOrAttach}. */
  static int attachBatch() throws IOException {
    return take(BATCH_LOCK, false, "a partview detach");
  }

  /** {@link #BATCH_LOCK} for a detach, exclusive; -1 as for {@link #findOrAttach}. */
  static int detach() throws IOException {
    return take(BATCH_LOCK, true, "a partview attach");
  }

  private static int take(Path file, boolean exclusive, String holder) throws IOException {
    int fd = open(file);
    if (fd < 0) return -1;
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
    try {
      while (!Sys.tryLock(fd, exclusive, file.toString())) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              file
                  + ": "
                  + holder
                  + " has held it for "
                  + WAIT_MS / 1000
                  + " s (stuck on a backing file that does not answer?)");
        }
        LoopDevice.sleep(2);
      }
    } catch (IOException e) {
      Sys.close(fd);
      throw e;
    }
    return fd;
  }

  /**
   * The lock file's descriptor, the file made on first use; -1 when it cannot be made or opened.
   * That happens without root (or on a read-only /run): such a process could not attach anything
   * anyway, unless it may open the loop devices (group disk), and then it goes on unserialised, as
   * losetup does, rather than fail. The folder is root's alone (0700, shared with the daemon logs)
   * on purpose: in a folder users could write, any of them could hold root's attaches off, or plant
   * a symlink or FIFO under the lock's name.
   */
  private static int open(Path file) throws IOException {
    for (boolean made = false; ; made = true) {
      try {
        return Sys.open(file.toString(), LibC.O_RDONLY);
      } catch (ErrnoException e) {
        if (e.is(Errno.EACCES) || (made && e.is(Errno.ENOENT))) return -1;
        if (!e.is(Errno.ENOENT)) throw e;
      }
      try {
        Files.createDirectories(
            file.getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createFile(file);
      } catch (FileAlreadyExistsException e) {
        // made by another partview meanwhile
      } catch (FileSystemException e) {
        return -1; // not root, or a read-only /run
      }
    }
  }
}
