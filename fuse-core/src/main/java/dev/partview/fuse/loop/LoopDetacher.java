package dev.partview.fuse.loop;

import dev.partview.fuse.sys.ErrnoException;
import dev.partview.fuse.sys.MountTable;
import dev.partview.fuse.sys.Sys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import jnr.constants.platform.Errno;

/**
 * Detaches loop devices, lazily when they are busy (as {@code losetup -d} does): the kernel then
 * only sets AUTOCLEAR and frees the device when its last user (a mount, an open partition) closes
 * it.
 */
public final class LoopDetacher {
  /** How long to wait for the kernel to finish a detach that is not lazy. */
  private static final long SETTLE_MS = 500;

  private final LoopSysfs sysfs;

  public LoopDetacher(LoopSysfs sysfs) {
    this.sysfs = sysfs;
  }

  public static LoopDetacher system() {
    return new LoopDetacher(LoopSysfs.system());
  }

  /** Whether the kernel has a loopN at all, bound or not. */
  public boolean exists(int number) {
    return sysfs.exists(number);
  }

  /** Held by a detach; closing it lets attaches go on. */
  public interface Hold extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits for the attaches in progress to publish or roll back their devices, and holds new ones
   * off until closed: a detach in between would be undone by the attach's commit ({@link
   * LoopLocks}). Take it before looking for the devices to detach.
   *
   * @throws IOException when an attach has held its devices for 30 s
   */
  public static Hold holdOffAttaches() throws IOException {
    int fd = LoopLocks.detach();
    return () -> {
      if (fd >= 0) Sys.close(fd);
    };
  }

  /**
   * What happened to one device.
   *
   * @param lazy still attached: it goes away when its last user closes it
   * @param busyWith why it is busy (mount points, holders), empty if not known
   */
  public record Result(LoopStatus device, boolean lazy, List<String> busyWith) {}

  /**
   * Detaches loopN.
   *
   * @throws ErrnoException ENXIO ("not attached") if loopN is not bound to a file
   */
  public Result detach(int number) throws IOException {
    return detach(sysfs.status(number).orElseThrow(() -> notAttached(number)));
  }

  /**
   * Detaches the device {@code before} describes, if loopN still is that binding: a device found
   * earlier (by {@link #backedBy}) may have gone since, and its number passed to someone else's
   * attachment, which is left alone. Checked once the device is open, since while we hold it the
   * kernel cannot free it.
   *
   * @throws ErrnoException ENXIO if loopN is no longer bound to the same file and range
   */
  public Result detach(LoopStatus before) throws IOException {
    int number = before.number();
    List<String> busy;
    try (LoopDevice dev = LoopDevice.open(number)) {
      Optional<LoopStatus> held = sysfs.status(number);
      if (held.isEmpty()) throw notAttached(number);
      if (!sameBinding(before, held.get())) {
        throw new ErrnoException(
            "LOOP_CLR_FD",
            before.device(),
            Errno.ENXIO.intValue(),
            "now "
                + held.get().backingFile()
                + " at "
                + held.get().offset()
                + ", no longer "
                + before.backingFile()
                + " at "
                + before.offset()
                + ": left alone");
      }
      busy = busyWith(before);
      try {
        dev.clear();
      } catch (ErrnoException e) {
        if (e.is(Errno.ENXIO)) throw notAttached(number);
        if (!e.is(Errno.EBUSY)) throw e;
        dev.setAutoclear(true); // old kernels refuse CLR_FD on an open device: detach at last close
      }
    }
    // Our close was the last one unless someone else holds it; the kernel then frees it at once.
    long deadline = System.nanoTime() + (busy.isEmpty() ? SETTLE_MS : 0) * 1_000_000;
    while (true) {
      Optional<LoopStatus> now = sysfs.status(number);
      if (now.isEmpty() || !sameBinding(before, now.get())) {
        return new Result(before, false, List.of());
      }
      if (System.nanoTime() >= deadline) {
        return new Result(before, true, busy.isEmpty() ? List.of("open elsewhere") : busy);
      }
      LoopDevice.sleep(5);
    }
  }

  /** Same file and range: not a new attachment that reused the number meanwhile. */
  private static boolean sameBinding(LoopStatus a, LoopStatus b) {
    return a.backingFile().equals(b.backingFile())
        && a.offset() == b.offset()
        && a.sizeLimit() == b.sizeLimit();
  }

  private List<String> busyWith(LoopStatus s) throws IOException {
    List<String> why = new ArrayList<>();
    for (MountTable.Entry m : MountTable.read().mountsOf(s.device())) {
      why.add(m.source() + " mounted on " + m.target());
    }
    for (String h : sysfs.holders(s.number())) why.add("held by " + h);
    for (BlockPartition p : sysfs.partitions(s.number())) {
      for (String h : sysfs.holders(s.number(), p.name())) why.add(p.name() + " held by " + h);
    }
    return why;
  }

  private static ErrnoException notAttached(int number) {
    return new ErrnoException(
        "LOOP_CLR_FD", "/dev/loop" + number, Errno.ENXIO.intValue(), "not attached");
  }

  /**
   * Every loop device backed by {@code image}: the image itself, or a file of a partview FUSE mount
   * serving it ({@link MountTable#partviewDirsServing}). Decided from sysfs and the mount table by
   * name only, so no backing file is touched.
   *
   * @param image absolute, symlinks resolved
   * @param imagesOf the images a multi-image mount serves, by mount point (see {@link
   *     MountTable#partviewDirsServing})
   */
  public List<LoopStatus> backedBy(
      Path image, MountTable mounts, Function<String, List<Path>> imagesOf) throws IOException {
    return backedBy(image, image, mounts, imagesOf);
  }

  /**
   * The same, {@code asNamed} being the image as the user named it (absolute, symlinks kept), which
   * a multi-image mount may have been given instead of the resolved path.
   */
  public List<LoopStatus> backedBy(
      Path image, Path asNamed, MountTable mounts, Function<String, List<Path>> imagesOf)
      throws IOException {
    String path = image.toString();
    List<String> dirs = mounts.partviewDirsServing(image, asNamed, imagesOf);
    List<LoopStatus> out = new ArrayList<>();
    for (LoopStatus s : sysfs.attached()) {
      String b = s.backingFile();
      if (b.equals(path) || dirs.stream().anyMatch(d -> MountTable.isUnder(b, d))) out.add(s);
    }
    return out;
  }
}
