package dev.partview.fuse.loop;

import static dev.partview.fuse.loop.LoopAbi.LO_FLAGS_AUTOCLEAR;
import static dev.partview.fuse.loop.LoopAbi.LO_FLAGS_DIRECT_IO;
import static dev.partview.fuse.loop.LoopAbi.LO_FLAGS_PARTSCAN;

import dev.partview.fuse.sys.ErrnoException;
import dev.partview.fuse.sys.LibC;
import dev.partview.fuse.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import jnr.constants.platform.Errno;

/**
 * Sets up loop devices the way util-linux {@code loopcxt_setup_device} does, with one addition: the
 * device is configured with AUTOCLEAR while this process holds it open. If anything fails, or the
 * process is killed (even with SIGKILL), the kernel frees the device at the last close, so no
 * half-configured device survives. The caller makes the device outlive the process with {@link
 * LoopDevice#setAutoclear(boolean) setAutoclear(false)} once everything else has worked.
 */
public final class LoopAttacher {
  /** util-linux {@code create_loop}: another process may take loopN between GET_FREE and setup. */
  static final int RACE_TRIES = 64;

  private final LoopSysfs sysfs;
  private final boolean legacyOnly;

  public LoopAttacher(LoopSysfs sysfs) {
    this(sysfs, false);
  }

  /**
   * @param legacyOnly skip LOOP_CONFIGURE, as on kernels before 5.8 (tests)
   */
  LoopAttacher(LoopSysfs sysfs, boolean legacyOnly) {
    this.sysfs = sysfs;
    this.legacyOnly = legacyOnly;
  }

  public static LoopAttacher system() {
    return new LoopAttacher(LoopSysfs.system());
  }

  /**
   * A new device for {@code spec}, held open by the returned handle with AUTOCLEAR set.
   *
   * @throws ErrnoException naming the step that failed; nothing stays attached
   */
  public LoopDevice attach(LoopSpec spec) throws IOException {
    int fileFd = Sys.open(spec.file().toString(), spec.readOnly() ? LibC.O_RDONLY : LibC.O_RDWR);
    try (LoopControl control = LoopControl.open()) {
      ErrnoException lastRace = null;
      for (int attempt = 1; attempt <= RACE_TRIES; attempt++) {
        int n = control.getFree();
        LoopDevice dev = null;
        try {
          dev = LoopDevice.open(n);
          if (!spec.readOnly() && !dev.writable()) {
            // LOOP_CONFIGURE would quietly make a read-only device of it
            throw new ErrnoException(
                "open",
                dev.path(),
                Errno.EACCES.intValue(),
                "a read-write attach needs write access");
          }
          configure(dev, fileFd, spec);
          return dev;
        } catch (ErrnoException e) {
          if (dev != null) dev.close();
          if (!isLostRace(e)) throw e;
          lastRace = e;
          // Back off a little, with jitter, so two racing processes do not collide again.
          LoopDevice.sleep(5 + ThreadLocalRandom.current().nextLong(45));
        }
      }
      throw new ErrnoException(
          lastRace.call(),
          lastRace.target(),
          lastRace.errno(),
          "no free loop device after " + RACE_TRIES + " tries: others keep taking them");
    } finally {
      Sys.close(fileFd); // the loop device holds its own reference to the file
    }
  }

  /**
   * EBUSY: someone configured loopN first. EAGAIN: it is being torn down or set up right now. ENXIO
   * on open: it was removed (LOOP_CTL_REMOVE) between GET_FREE and our open.
   */
  private static boolean isLostRace(ErrnoException e) {
    return e.is(Errno.EBUSY)
        || e.is(Errno.EAGAIN)
        || (e.call().equals("open") && e.is(Errno.ENXIO));
  }

  private void configure(LoopDevice dev, int fileFd, LoopSpec spec) throws ErrnoException {
    LoopInfo64 info =
        LoopInfo64.of(
            spec.offset(), spec.sizeLimit(), spec.flags() | LO_FLAGS_AUTOCLEAR, spec.name());
    if (legacyOnly) {
      configureLegacy(dev, fileFd, info, spec.blockSize());
      return;
    }
    try {
      byte[] cfg = new LoopConfig(fileFd, spec.blockSize(), info).encode();
      Sys.ioctl(dev.fd(), LoopAbi.LOOP_CONFIGURE, cfg, "LOOP_CONFIGURE", dev.path());
      return;
    } catch (ErrnoException e) {
      // Kernels before 5.8 do not know LOOP_CONFIGURE: fall back, as losetup does.
      if (!(e.is(Errno.EINVAL) || e.is(Errno.ENOTTY) || e.is(Errno.ENOSYS))) throw e;
    }
    configureLegacy(dev, fileFd, info, spec.blockSize());
  }

  /**
   * LOOP_SET_FD then LOOP_SET_STATUS64: two steps, so a failure of the second is rolled back with
   * LOOP_CLR_FD. Read-only comes from the descriptors (both opened read-only); SET_STATUS64 can set
   * only AUTOCLEAR and PARTSCAN, direct I/O and the block size have their own ioctls. The block
   * size comes before SET_STATUS64, so that the partition scan PARTSCAN starts sees the device's
   * real sectors, and before direct I/O, which the kernel allows only when the block size suits the
   * file.
   */
  private static void configureLegacy(LoopDevice dev, int fileFd, LoopInfo64 info, int blockSize)
      throws ErrnoException {
    Sys.ioctl(dev.fd(), LoopAbi.LOOP_SET_FD, fileFd, "LOOP_SET_FD", dev.path());
    try {
      if (blockSize != 0) dev.setBlockSize(blockSize);
      dev.setStatus(info.withFlags(info.flags() & (LO_FLAGS_AUTOCLEAR | LO_FLAGS_PARTSCAN)));
      if ((info.flags() & LO_FLAGS_DIRECT_IO) != 0) {
        try {
          Sys.ioctl(dev.fd(), LoopAbi.LOOP_SET_DIRECT_IO, 1L, "LOOP_SET_DIRECT_IO", dev.path());
        } catch (ErrnoException e) {
          // Like LOOP_CONFIGURE, which silently keeps buffered I/O: sysfs "dio" tells the truth.
        }
      }
    } catch (ErrnoException e) {
      try {
        dev.clear();
      } catch (ErrnoException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
  }

  /**
   * An already attached device for exactly {@code spec}: same backing file (device and inode),
   * offset, size limit, read-only state, direct I/O and block size, and PARTSCAN when asked for.
   * Candidates are found in sysfs by path; only those are opened and asked LOOP_GET_STATUS64 (which
   * stats the backing file), so devices backed by other files, perhaps on hung FUSE mounts, are
   * never touched.
   *
   * <p>The device comes back open, and the caller must keep it open for as long as it relies on the
   * match: while we hold it, the kernel cannot free it (its AUTOCLEAR, or someone's LOOP_CLR_FD,
   * waits for our close), so its number cannot pass to someone else's attachment. The match is
   * checked again once it is held, since sysfs was read before.
   *
   * @param taken device numbers not to return (those already serving the caller's other ranges)
   */
  public Optional<LoopDevice> findIdentical(LoopSpec spec, Set<Integer> taken) throws IOException {
    Map<String, Object> st = Files.readAttributes(spec.file(), "unix:dev,ino");
    long dev = ((Number) st.get("dev")).longValue();
    long ino = ((Number) st.get("ino")).longValue();
    for (LoopStatus s : sysfs.attached()) {
      if (taken.contains(s.number()) || !sameRange(s, spec)) continue;
      LoopDevice d;
      try {
        d = LoopDevice.open(s.number());
      } catch (ErrnoException e) {
        continue; // ENXIO and friends: removed while we looked
      }
      try {
        Optional<LoopStatus> held = sysfs.status(s.number());
        LoopInfo64 info = d.status();
        if (held.isPresent()
            && sameRange(held.get(), spec)
            && info.device() == dev
            && info.inode() == ino) {
          return Optional.of(d);
        }
      } catch (ErrnoException e) {
        // ENXIO: detached while we looked
      }
      d.close();
    }
    return Optional.empty();
  }

  /**
   * The block size asked for; for "the kernel's default", 512 on a buffered device, and whatever
   * the kernel chose for a direct-I/O one (since 6.14 it follows the backing file's alignment).
   */
  private static boolean sameBlockSize(LoopStatus s, LoopSpec spec) {
    if (spec.blockSize() != 0) return s.blockSize() == spec.blockSize();
    return spec.directIo() || s.blockSize() == LoopAbi.SYSFS_SECTOR;
  }

  private static boolean sameRange(LoopStatus s, LoopSpec spec) {
    return !s.backingDeleted()
        && s.backingFile().equals(spec.file().toString())
        && s.offset() == spec.offset()
        && s.sizeLimit() == spec.sizeLimit()
        && s.readOnly() == spec.readOnly()
        && s.directIo() == spec.directIo()
        && sameBlockSize(s, spec)
        && (!spec.partScan() || s.partScan());
  }
}
