package dev.partview.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partview.fuse.Unmounter;
import dev.partview.fuse.loop.AttachBatch;
import dev.partview.fuse.loop.BlockPartition;
import dev.partview.fuse.loop.LoopSpec;
import dev.partview.fuse.loop.LoopStatus;
import dev.partview.fuse.loop.LoopSysfs;
import dev.partview.fuse.sys.ErrnoException;
import dev.partview.fuse.sys.MountTable;
import dev.partview.table.Diagnostic;
import dev.partview.table.PartitionTable;
import dev.partview.table.PartitionTableException;
import dev.partview.table.PartitionTableReader;
import dev.partview.table.ReadOptions;
import dev.partview.table.io.FileChannelSource;
import dev.partview.table.io.FileKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code partview attach}: loop devices for the partitions of an image, or for a whole file. */
@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Attach loop devices: one per data partition of an image (the kpartx -a / losetup -o"
          + " replacement), or one for a whole file, e.g. a partview mount's p2.",
      "",
      "IMAGE or FILE? A file with a partition table is an image: without PART, every data"
          + " partition is attached (never the extended container); with PART, those named."
          + " A file without a partition table is attached whole. --whole attaches the whole"
          + " file even when it has a table.",
      "",
      "Devices are read-only unless --rw. An identical device that is already attached (same"
          + " file, offset, size limit, read-only state, direct I/O and block size: like losetup, no"
          + " --direct-io means buffered I/O) is reused, not stacked, for one"
          + " partition of a run: two partitions with the same range get a device each; attaches"
          + " running at the same moment take turns (flock on /run/partview/attach.lock), so"
          + " they share one device too. A failed or interrupted attach leaves no device"
          + " behind: new devices are held with AUTOCLEAR until everything has worked, and a"
          + " Ctrl-C before they are listed, or a listing that cannot be written, detaches"
          + " them (with --mount, at umount). Prints 'NAME /dev/loopN' lines (NAME = p1, p5,"
          + " ... or the file name). Needs root, or read-write access to /dev/loop-control and the"
          + " /dev/loopN devices."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:attached",
      "1:runtime failure (mount failed, I/O error)",
      "2:usage error (unknown PART, conflicting options)",
      "3:the partition table is corrupt, PART given and the file has none, or the partitions"
          + " lie past the end of the image (a truncated image)",
      "4:no permission for /dev/loop-control or a loop device, no /dev/loop-control, no free"
          + " loop device"
    })
final class AttachCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "A disk image, or any file.")
  Path file;

  @Parameters(
      index = "1..*",
      paramLabel = "PART",
      description =
          "Partitions to attach: 1, p1, label:NAME or uuid:UUID (default: all data"
              + " partitions).")
  List<String> parts = new ArrayList<>();

  @Option(
      names = "--whole",
      description = "Attach the whole file, even if it has a partition table.")
  boolean whole;

  @Option(names = "--rw", description = "Read-write devices (the file is opened read-write).")
  boolean readWrite;

  @Option(
      names = "--direct-io",
      description =
          "LO_FLAGS_DIRECT_IO: the loop reads the file with O_DIRECT instead of caching it a"
              + " second time (see fuse-core/README.md for when this pays off). Where the file"
              + " cannot do O_DIRECT at the offset, the kernel keeps buffered I/O: a warning says"
              + " so, and a buffered device of the range is then reused.")
  boolean directIo;

  @Option(
      names = "--partscan",
      description =
          "One device for the whole image plus a partition node per data partition"
              + " (/dev/loopNpM, made with BLKPG; no kernel partition parser needed), with the"
              + " table's sector size as its block size (as losetup -b 4096 -P). A partition"
              + " overlapping an earlier one is left out with a warning: one device cannot hold"
              + " both.")
  boolean partScan;

  @Option(
      names = "--mount",
      paramLabel = "DIR",
      description =
          "Also mount the one attached partition (or file) on DIR with mount(8); the device is"
              + " freed when it is unmounted (AUTOCLEAR).")
  Path mountPoint;

  @Option(names = "-t", paramLabel = "TYPE", description = "Filesystem type for --mount.")
  String fsType;

  @Option(names = "-o", paramLabel = "OPTS", description = "Mount options for --mount.")
  String mountOptions;

  @Option(
      names = "--sector-size",
      paramLabel = "N",
      converter = ImageOptions.SectorSizeConverter.class,
      description = "Read the table with N-byte sectors instead of detecting the size.")
  Integer sectorSize;

  @Option(names = "--json", description = "Print the devices as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    checkOptions();
    if (mountPoint != null && !Files.isDirectory(mountPoint)) { // before any device is made
      String why = Files.exists(mountPoint) ? ": not a directory" : ": no such directory";
      throw new CliException(ExitCodes.USAGE, mountPoint + why);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path real = realFile(file);
    AttachPlan plan = plan(real, err);
    for (String w : plan.warnings()) warn(err, real + ": " + w);
    if (mountPoint != null && !partScan && plan.targets().size() != 1) {
      throw new CliException(
          ExitCodes.USAGE,
          "--mount needs exactly one partition, and "
              + real
              + " has "
              + plan.targets().size()
              + " to attach: name one PART");
    }
    try (AttachBatch batch = AttachBatch.system()) {
      boolean readOnly = !readWrite;
      if (partScan) {
        LoopSpec whole =
            LoopSpec.wholeFile(real)
                .withReadOnly(readOnly)
                .withDirectIo(directIo)
                .withBlockSize(plan.blockSize());
        batch.attachWithPartitions(
            real.getFileName().toString(), whole, plan.partitionRanges(), true);
      } else {
        for (AttachPlan.Target t : plan.targets()) {
          batch.attach(t.label(), t.spec(real, readOnly, directIo), true);
        }
      }
      List<AttachBatch.Attached> done = batch.attached();
      if (mountPoint != null) {
        // A signal (or a failure) from here until the devices are listed undoes the mount too.
        batch.onRollback(() -> unmountQuietly(done.get(0).device()));
        mount(done.get(0));
        batch.commit(false); // the mount holds the device now; unmounting frees it
      } else {
        batch.commit(true);
      }
      // A Ctrl-C until the devices are listed detaches them all, and so does a listing that
      // cannot be written (nobody would know of them).
      batch.publish(
          () -> {
            report(real, plan, done, out, err);
            if (out.checkError()) {
              throw new IOException(
                  "standard output: the devices could not be listed, so "
                      + undoMount(done.get(0).device()));
            }
          });
    } catch (ErrnoException e) {
      throw LoopErrors.toCli(e);
    }
    return ExitCodes.OK;
  }

  private void checkOptions() {
    if (whole && !parts.isEmpty()) usage("--whole attaches the whole file: give no PART");
    if (partScan && whole) usage("--partscan and --whole cannot be combined");
    if (partScan && mountPoint != null) usage("--partscan and --mount cannot be combined");
    if (mountPoint == null && (fsType != null || mountOptions != null)) {
      usage("-t and -o are mount options: use them with --mount DIR");
    }
  }

  private void usage(String msg) {
    throw new ParameterException(spec.commandLine(), msg);
  }

  static Path realFile(Path file) throws IOException, CliException {
    // Before resolving: <(…) is /dev/fd/N, a link to "pipe:[…]", which resolves to nothing.
    Optional<String> refusal = FileKind.refusal(file);
    if (refusal.isPresent()) throw new CliException(ExitCodes.RUNTIME, refusal.get());
    Path real = file.toRealPath();
    if (!Files.isRegularFile(real)) {
      throw new CliException(
          ExitCodes.RUNTIME,
          real + ": a block device: its partitions are the kernel's to add (partx -a), not loops'");
    }
    return real;
  }

  /**
   * What to attach. The table's diagnostics go to {@code err} first, as {@code list} shows them (a
   * backup GPT header used, overlaps, partitions past the end): whatever comes next, the user
   * learns what the devices were made from.
   */
  private AttachPlan plan(Path real, PrintWriter err) throws IOException, CliException {
    long size = Files.size(real);
    if (whole) return AttachPlan.whole(real, size);
    Optional<PartitionTable> table = readTable(real);
    if (table.isEmpty()) {
      if (!parts.isEmpty() || partScan) {
        throw new CliException(
            ExitCodes.BAD_TABLE,
            real
                + ": no partition table, so "
                + (partScan ? "nothing for --partscan" : "no PART to pick")
                + " (attach it without PART for the whole file)");
      }
      return AttachPlan.whole(real, size);
    }
    for (Diagnostic d : table.get().diagnostics()) {
      warn(err, real + ": " + ListingText.located(d));
    }
    FilesystemLabelsOnce labels = new FilesystemLabelsOnce(real, table.get());
    return AttachPlan.plan(real, size, table.get(), parts, labels, partScan);
  }

  /** The table, or empty when the file has none; a damaged table is exit 3. */
  private Optional<PartitionTable> readTable(Path real) throws IOException, CliException {
    ReadOptions opts = ImageOptions.readOptions(sectorSize);
    try (FileChannelSource src = FileChannelSource.open(real)) {
      return Optional.of(PartitionTableReader.read(src, opts));
    } catch (PartitionTableException e) {
      if (e.kind() == PartitionTableException.Kind.NO_TABLE) return Optional.empty();
      throw new CliException(ExitCodes.BAD_TABLE, real + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
    }
  }

  private static void warn(PrintWriter err, String what) {
    err.println("partview: warning: " + what);
  }

  /**
   * Before a rollback: the mount made with --mount holds the device, so it goes first (else the
   * rollback's detach would only be lazy, and the filesystem stay mounted). The rollback's own step
   * ({@link #unmountQuietly}) then finds nothing to do.
   *
   * @return what the rollback then does, for the error line
   */
  private String undoMount(String device) throws IOException {
    String detached = "every new device was detached";
    if (mountPoint == null) return detached;
    String dir = mountPoint.toRealPath().toString();
    try {
      Optional<Unmounter.Result> u = unmountIfFrom(device);
      if (u.isEmpty()) return detached;
      if (u.get().unmounted()) return "the mount on " + dir + " was undone and " + detached;
      return "the filesystem stays mounted on " + dir + " (" + u.get().message() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "the filesystem stays mounted on " + dir;
    }
  }

  /** The mount(8) of --mount while it runs: a rollback waits for it. */
  private volatile Process mounting;

  /**
   * Unmounts the mount point if what is mounted there is {@code device}: ours, not another. A
   * mount(8) still running (a signal came during it) is waited for first, up to 10 s.
   *
   * @return the unmount's result; empty when {@code device} is not mounted there
   */
  private Optional<Unmounter.Result> unmountIfFrom(String device)
      throws IOException, InterruptedException {
    Process p = mounting;
    if (p != null) p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    String dir = mountPoint.toRealPath().toString();
    Optional<MountTable.Entry> top = MountTable.read().at(dir);
    if (top.isEmpty() || !top.get().source().equals(device)) return Optional.empty();
    return Optional.of(Unmounter.unmount(dir));
  }

  /** {@link #unmountIfFrom} as a rollback step, which must not throw. */
  private void unmountQuietly(String device) {
    try {
      unmountIfFrom(device);
    } catch (IOException e) {
      // the rollback goes on: the device's detach is then lazy, and the mount says where it is
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void mount(AttachBatch.Attached a) throws IOException, CliException {
    String opts = readWrite ? mountOptions : mountOptions == null ? "ro" : "ro," + mountOptions;
    BlockMount.mount(a.device(), mountPoint, fsType, opts, p -> mounting = p);
  }

  private void report(
      Path real, AttachPlan plan, List<AttachBatch.Attached> done, PrintWriter out, PrintWriter err)
      throws IOException {
    LoopSysfs sysfs = LoopSysfs.system();
    List<Optional<LoopStatus>> states = new ArrayList<>();
    for (AttachBatch.Attached a : done) {
      Optional<LoopStatus> s = sysfs.status(a.number());
      states.add(s);
      if (a.directIoRefused()) {
        warn(
            err,
            a.device()
                + ": the kernel kept buffered I/O (the file cannot do O_DIRECT at this offset)");
      }
    }
    if (json) {
      out.println(toJson(real, plan, done, states));
    } else {
      for (AttachBatch.Attached a : done) {
        String note = a.reused() ? " (reused)" : "";
        if (mountPoint != null) note += " mounted on " + mountPoint.toAbsolutePath().normalize();
        out.println(a.label() + " " + a.device() + note);
        for (BlockPartition p : a.partitions()) out.println("p" + p.number() + " " + p.device());
      }
    }
    out.flush();
  }

  private String toJson(
      Path real,
      AttachPlan plan,
      List<AttachBatch.Attached> done,
      List<Optional<LoopStatus>> states)
      throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("file", real.toString());
    root.put("table", plan.table().map(PartitionTable::scheme).orElse(null));
    ArrayNode devices = root.putArray("devices");
    for (int i = 0; i < done.size(); i++) {
      AttachBatch.Attached a = done.get(i);
      Optional<LoopStatus> s = states.get(i);
      ObjectNode d = devices.addObject();
      d.put("name", a.label());
      d.put("device", a.device());
      d.put("offset", a.spec().offset());
      d.put("sizeLimit", a.spec().sizeLimit());
      if (s.isPresent()) d.put("size", s.get().sizeBytes());
      else d.putNull("size");
      d.put("readOnly", s.map(LoopStatus::readOnly).orElse(a.spec().readOnly()));
      d.put("directIo", s.map(LoopStatus::directIo).orElse(false));
      if (s.isPresent()) d.put("blockSize", s.get().blockSize());
      else d.putNull("blockSize");
      d.put("autoclear", s.map(LoopStatus::autoclear).orElse(false));
      d.put("reused", a.reused());
      d.put(
          "mountpoint",
          mountPoint == null ? null : mountPoint.toAbsolutePath().normalize().toString());
      ArrayNode ps = d.putArray("partitions");
      for (BlockPartition p : a.partitions()) {
        ObjectNode pn = ps.addObject();
        pn.put("name", "p" + p.number());
        pn.put("device", p.device());
        pn.put("start", p.startSector() * 512);
        pn.put("size", p.sectors() * 512);
      }
    }
    return mapper.writeValueAsString(root);
  }
}
