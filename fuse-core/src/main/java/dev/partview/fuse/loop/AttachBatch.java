package dev.partview.fuse.loop;

import dev.partview.fuse.sys.ErrnoException;
import dev.partview.fuse.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Several attachments made as one step: after {@link #commit} and {@link #publish} (or {@link
 * #close}), all of them stay; if anything fails first, or the process dies, none of the new devices
 * survive (devices that were reused are never detached). New devices are held open with AUTOCLEAR
 * until the commit, so even SIGKILL cleans up; reused ones are held open too, so that the one the
 * commit changes is the one that was found.
 *
 * <p>The commit clears AUTOCLEAR one device at a time, ~15 ms each (the kernel freezes the device's
 * queue for it): 2 s for 120 partitions. A SIGINT, SIGTERM or SIGHUP in that time, or after it but
 * before {@link #publish} has printed the devices, detaches every new device through a shutdown
 * hook: the user either sees the devices listed or has none of them. Only SIGKILL during the commit
 * itself can keep the devices cleared so far.
 */
public final class AttachBatch implements AutoCloseable {
  /** How long BLKPG partitions may take to show up in sysfs and devtmpfs/udev. */
  private static final long NODE_WAIT_MS = 2000;

  /** How long the exit hook waits for a device change in progress. */
  private static final long EXIT_WAIT_S = 5;

  /**
   * One attached range.
   *
   * @param label what the user called it: {@code p1}, or the file name for a whole file
   * @param reused an identical device existed and is reported instead of stacking a second one
   * @param directIoRefused direct I/O was asked for, and the kernel kept buffered I/O on a new
   *     device for this range (the file cannot do O_DIRECT at this offset); the device, new or
   *     reused, is buffered
   * @param partitions BLKPG partitions ({@code --partscan}), else empty
   */
  public record Attached(
      String label,
      LoopSpec spec,
      int number,
      boolean reused,
      boolean directIoRefused,
      List<BlockPartition> partitions) {
    public Attached {
      partitions = List.copyOf(partitions);
    }

    public String device() {
      return "/dev/loop" + number;
    }
  }

  private final LoopAttacher attacher;
  private final LoopSysfs sysfs;
  private final List<LoopDevice> held = new ArrayList<>();

  /**
   * Reused devices, open from the moment they were found: the commit changes exactly these (their
   * numbers alone could belong to someone else's attachment by then, had the kernel freed them).
   */
  private final List<LoopDevice> reusedHeld = new ArrayList<>();

  private final List<Attached> attached = new ArrayList<>();
  private boolean committed;

  /** Rolled back or closed: nothing more may be attached or committed. */
  private boolean closed;

  /**
   * Held while the device lists or a device's flags change, so that the exit hook comes in between.
   */
  private final ReentrantLock guard = new ReentrantLock(true); // fair: the hook is not passed by

  /** What a rollback undoes before the devices, last first ({@link #onRollback}). */
  private final List<Runnable> undoFirst = new ArrayList<>();

  /** Reused devices whose AUTOCLEAR the commit cleared: a rollback sets it again. */
  private final List<LoopDevice> reusedMadeToStay = new ArrayList<>();

  private final Thread exitHook = new Thread(this::rollBackAtExit, "partview-attach-rollback");

  /**
   * {@link LoopLocks#BATCH_LOCK}, shared, from the first device until the batch is closed; -1
   * before, or where it cannot be taken (not root: each attach then tries again, one failing open).
   */
  private int batchLock = -1;

  /**
   * @throws IOException when the JVM is already exiting (a signal came first): nothing attached
   */
  public AttachBatch(LoopAttacher attacher, LoopSysfs sysfs) throws IOException {
    this.attacher = Objects.requireNonNull(attacher);
    this.sysfs = Objects.requireNonNull(sysfs);
    try {
      Runtime.getRuntime().addShutdownHook(exitHook);
    } catch (IllegalStateException e) { // "Shutdown in progress", which users need not see
      throw new IOException("attach interrupted before it attached anything", e);
    }
  }

  public static AttachBatch system() throws IOException {
    return new AttachBatch(LoopAttacher.system(), LoopSysfs.system());
  }

  /** Attaches {@code spec}, or reuses an identical device when {@code reuse} is set. */
  public Attached attach(String label, LoopSpec spec, boolean reuse) throws IOException {
    checkOpen();
    holdOffDetaches();
    int lock = LoopLocks.findOrAttach();
    try {
      Held h = findOrAttach(spec, reuse);
      return record(h.attached(label, spec, List.of()));
    } finally {
      Sys.close(lock);
    }
  }

  /**
   * One device for the whole image with PARTSCAN, plus a BLKPG partition per range: {@code
   * /dev/loopNpM} without kernel partition parsers. A reused device gets only the partitions it
   * lacks; one it has with other bounds is an error.
   */
  public Attached attachWithPartitions(
      String label, LoopSpec whole, List<PartitionRange> parts, boolean reuse) throws IOException {
    checkOpen();
    LoopSpec spec = whole.withPartScan(true);
    holdOffDetaches();
    int lock = LoopLocks.findOrAttach(); // also keeps two processes from adding the same partitions
    try {
      Held h = findOrAttach(spec, reuse);
      for (PartitionRange r : parts) addPartition(h.device(), r);
      List<BlockPartition> made = awaitPartitions(h.device().number(), parts);
      return record(h.attached(label, spec, made));
    } finally {
      Sys.close(lock);
    }
  }

  /** A detach waits until this batch is published or rolled back: see {@link LoopLocks}. */
  private void holdOffDetaches() throws IOException {
    if (batchLock < 0) batchLock = LoopLocks.attachBatch();
  }

  private record Held(LoopDevice device, boolean reused, boolean directIoRefused) {
    Attached attached(String label, LoopSpec spec, List<BlockPartition> partitions) {
      return new Attached(label, spec, device.number(), reused, directIoRefused, partitions);
    }
  }

  /**
   * An identical device already attached (when {@code reuse}), else a new one; either way held open
   * until the commit, in {@link #reusedHeld} or {@link #held}. Call with the lock taken.
   *
   * <p>Direct I/O is part of being identical, but the kernel keeps buffered I/O where the file
   * cannot do O_DIRECT (an offset the backing filesystem cannot align). Then a new device is no
   * better than a buffered one of the same range: that one is reused and the new one dropped, or
   * every {@code --direct-io} attach of such a range would stack one more device.
   */
  private Held findOrAttach(LoopSpec spec, boolean reuse) throws IOException {
    Set<Integer> taken = inBatch();
    Optional<LoopDevice> same = reuse ? attacher.findIdentical(spec, taken) : Optional.empty();
    boolean refused = false;
    LoopDevice dev;
    if (same.isPresent()) {
      dev = same.get();
    } else {
      dev = attacher.attach(spec);
      refused =
          spec.directIo() && !sysfs.status(dev.number()).map(LoopStatus::directIo).orElse(false);
      if (refused && reuse) {
        taken.add(dev.number());
        same = attacher.findIdentical(spec.withDirectIo(false), taken);
        if (same.isPresent()) {
          dev.close(); // new, AUTOCLEAR and held only by us: the kernel frees it
          dev = same.get();
        }
      }
    }
    guard.lock();
    try {
      if (closed) { // the exit hook ran meanwhile; a new device still has AUTOCLEAR: this frees it
        dev.close();
        throw interrupted();
      }
      (same.isPresent() ? reusedHeld : held).add(dev);
    } finally {
      guard.unlock();
    }
    return new Held(dev, same.isPresent(), refused);
  }

  /**
   * The devices this batch already holds, new or reused: each serves one attachment of the batch,
   * so that two partitions with the same range get a device each (as kpartx gives them), never one
   * device reported twice.
   */
  private Set<Integer> inBatch() {
    guard.lock();
    try {
      Set<Integer> out = new HashSet<>();
      for (LoopDevice d : held) out.add(d.number());
      for (LoopDevice d : reusedHeld) out.add(d.number());
      return out;
    } finally {
      guard.unlock();
    }
  }

  private void addPartition(LoopDevice dev, PartitionRange r) throws IOException {
    for (BlockPartition p : sysfs.partitions(dev.number())) {
      if (p.number() != r.number()) {
        // A reused device may hold a partition an earlier attach added that this one overlaps:
        // the kernel would refuse with a bare EBUSY.
        boolean overlaps =
            p.startSector() < r.startSector() + r.sectors()
                && r.startSector() < p.startSector() + p.sectors();
        if (!overlaps) continue;
        throw new IOException(
            p.device()
                + " (sectors "
                + p.startSector()
                + "+"
                + p.sectors()
                + ") overlaps p"
                + r.number()
                + ", which one device cannot also hold: detach "
                + dev.path()
                + " first, or attach without --partscan");
      }
      if (p.startSector() == r.startSector() && p.sectors() == r.sectors()) return;
      throw new IOException(
          p.device()
              + " exists with sectors "
              + p.startSector()
              + "+"
              + p.sectors()
              + ", not "
              + r.startSector()
              + "+"
              + r.sectors());
    }
    dev.addPartition(new BlkpgPartition(r.start(), r.length(), r.number(), ""));
  }

  /** Waits until sysfs has every partition with its size and the device node exists. */
  private List<BlockPartition> awaitPartitions(int number, List<PartitionRange> parts)
      throws IOException {
    long deadline = System.nanoTime() + NODE_WAIT_MS * 1_000_000;
    while (true) {
      List<BlockPartition> have = sysfs.partitions(number);
      List<BlockPartition> mine = new ArrayList<>();
      String missing = null;
      for (PartitionRange r : parts) {
        Optional<BlockPartition> p =
            have.stream().filter(b -> b.number() == r.number()).findFirst();
        if (p.isEmpty() || p.get().sectors() != r.sectors()) {
          missing = "/sys/block/loop" + number + "/loop" + number + "p" + r.number();
        } else if (!Files.exists(Path.of(p.get().device()))) {
          missing = p.get().device() + " (" + p.get().majorMinor() + ")";
        } else {
          mine.add(p.get());
        }
      }
      if (missing == null) return mine;
      if (System.nanoTime() > deadline) {
        throw new IOException(
            missing + " did not appear after BLKPG_ADD_PARTITION (no devtmpfs or udev?)");
      }
      LoopDevice.sleep(10);
    }
  }

  private Attached record(Attached a) {
    attached.add(a);
    return a;
  }

  public List<Attached> attached() {
    return List.copyOf(attached);
  }

  /**
   * Makes the new devices permanent: they survive this process (AUTOCLEAR cleared). With {@code
   * persistent == false} they keep AUTOCLEAR and live exactly as long as someone else holds them
   * open, e.g. a mount made in between ({@code attach --mount}). If clearing fails for one device,
   * every new device is detached and the failure is thrown. A persistent commit also clears
   * AUTOCLEAR on reused devices that have it.
   */
  public void commit(boolean persistent) throws IOException {
    checkOpen();
    if (persistent) {
      // A reused device that would vanish at its last close (made by attach --mount, or lazily
      // detached while busy, perhaps since we found it): asking for it again means wanting it to
      // stay. We have held it open since, so it is still the one we found.
      List<LoopDevice> all = new ArrayList<>(held);
      all.addAll(reusedHeld);
      for (LoopDevice d : all) {
        guard.lock(); // one device at a time, so that the exit hook can come in between
        try {
          if (closed) throw interrupted();
          if (d.setAutoclear(false) && reusedHeld.contains(d)) reusedMadeToStay.add(d);
        } catch (ErrnoException e) {
          rollback(e);
          throw e;
        } finally {
          guard.unlock();
        }
      }
    }
    committed = true;
  }

  /**
   * Shows the devices with {@code printer}, then closes the batch, as one step against signals: the
   * exit hook either undoes the batch before anything is printed, or finds it published. If
   * printing fails (standard output full, or its reader gone), every new device is detached and the
   * failure thrown: nobody was told of them.
   */
  public void publish(Printer printer) throws IOException {
    guard.lock();
    try {
      if (!committed) throw new IllegalStateException("publish before commit");
      if (closed) throw interrupted();
      try {
        printer.print();
      } catch (IOException | RuntimeException e) {
        rollback(e);
        throw e;
      }
      closeAll();
    } finally {
      guard.unlock();
    }
    removeExitHook();
  }

  /** Prints what was attached; throws when the output could not be written. */
  @FunctionalInterface
  public interface Printer {
    void print() throws IOException;
  }

  /**
   * The shutdown hook: a signal arrived before {@link #close} or {@link #publish}. Waits for the
   * device being changed, then detaches every new device and gives reused ones their AUTOCLEAR
   * back. Only ioctls, no close: descriptors close as the process ends, and a new device that still
   * has AUTOCLEAR goes then (a close can wait on a backing file that does not answer; so can the
   * lock, hence the bounded wait, {@link #EXIT_WAIT_S}).
   */
  private void rollBackAtExit() {
    try {
      if (!guard.tryLock(EXIT_WAIT_S, TimeUnit.SECONDS)) return;
    } catch (InterruptedException e) {
      return;
    }
    try {
      if (closed) return;
      undo(null);
      closed = true;
    } finally {
      guard.unlock();
    }
  }

  private static IOException interrupted() {
    return new IOException("attach interrupted: every new device detached");
  }

  /** Undoes the batch and closes our descriptors. */
  private void rollback(Exception cause) {
    undo(cause);
    closeAll();
  }

  /**
   * Adds a step that a rollback (a failure, or a signal before {@link #publish}) runs before it
   * detaches the devices: e.g. unmounting a filesystem mounted from a new device, which would
   * otherwise keep the device (its detach only lazy) and stay mounted. Steps must not throw.
   */
  public void onRollback(Runnable step) {
    guard.lock();
    try {
      undoFirst.add(0, step);
    } finally {
      guard.unlock();
    }
  }

  /**
   * Runs the {@link #onRollback} steps, detaches every new device (LOOP_CLR_FD, then the last close
   * frees it), and sets AUTOCLEAR again on reused devices the commit had cleared it on.
   */
  private void undo(Exception cause) {
    for (Runnable step : undoFirst) {
      try {
        step.run();
      } catch (RuntimeException e) {
        if (cause != null) cause.addSuppressed(e);
      }
    }
    undoFirst.clear();
    for (LoopDevice d : held) {
      try {
        d.clear();
      } catch (ErrnoException e) {
        if (cause != null) cause.addSuppressed(e);
      }
    }
    for (LoopDevice d : reusedMadeToStay) {
      try {
        d.setAutoclear(true);
      } catch (ErrnoException e) {
        if (cause != null) cause.addSuppressed(e);
      }
    }
    reusedMadeToStay.clear();
  }

  /** Closes our descriptors; reused devices are only let go, never cleared. */
  private void closeAll() {
    closed = true;
    for (LoopDevice d : held) d.close();
    held.clear();
    for (LoopDevice d : reusedHeld) d.close();
    reusedHeld.clear();
    if (batchLock >= 0) Sys.close(batchLock); // a detach waiting may go on now
    batchLock = -1;
  }

  private void checkOpen() throws IOException {
    guard.lock();
    try {
      if (committed) throw new IllegalStateException("batch already committed");
      if (closed) throw interrupted();
    } finally {
      guard.unlock();
    }
  }

  /**
   * Without a commit: rolls back. After one: only closes this process's descriptors, and from then
   * on a signal leaves the devices alone.
   */
  @Override
  public void close() {
    guard.lock();
    try {
      if (closed) return;
      if (committed) closeAll();
      else rollback(null);
    } finally {
      guard.unlock();
    }
    removeExitHook();
  }

  private void removeExitHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(exitHook);
    } catch (IllegalStateException e) {
      // the JVM is already exiting: the hook finds the batch closed
    }
  }
}
