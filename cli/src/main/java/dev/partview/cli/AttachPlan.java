package dev.partview.cli;

import dev.partview.fuse.loop.LoopSpec;
import dev.partview.fuse.loop.PartitionRange;
import dev.partview.table.Partition;
import dev.partview.table.PartitionKind;
import dev.partview.table.PartitionSelector;
import dev.partview.table.PartitionTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code partview attach} will attach, decided before any device is touched (and testable
 * without root).
 *
 * <p>The rule: {@code --whole}, or a file without a partition table, gives one device for the whole
 * file. Otherwise the file is an image and gets one device per data partition, or per PART given;
 * the extended container holds only EBRs and is never attached.
 *
 * @param file absolute, symlinks resolved
 * @param table the table, empty when the whole file is attached
 * @param targets what to attach, in order
 * @param warnings things the user should know (partitions past the end of the image, ...)
 */
record AttachPlan(
    Path file, Optional<PartitionTable> table, List<Target> targets, List<String> warnings) {
  /** The kernel counts a loop device's size in 512-byte sectors and drops a partial last one. */
  private static final int SECTOR = 512;

  /**
   * The logical block size of the whole-image device of {@code --partscan}: the table's sector
   * size, as {@code losetup -b 4096 -P} gives a 4K-sector image, so that tools reading the device's
   * table (sfdisk, blkid) see it as it was made. 0 (the kernel's default) without a table.
   */
  int blockSize() {
    return table.map(t -> t.sectorSize().bytes()).orElse(0);
  }

  /**
   * One range.
   *
   * @param number the partition's number as the table gives it, for the BLKPG node {@code
   *     /dev/loopNp<number>}; 0 for the whole file, which is no partition
   * @param label {@code p1}, or the file name for the whole file
   * @param sizeLimit 0 = up to the end of the file
   * @param length bytes the device will have: the range cut at the end of the file, and down to
   *     whole 512-byte sectors, as the kernel sizes a loop device (with {@code --partscan}, whole
   *     sectors of the table: the kernel takes only partitions aligned to the device's blocks)
   */
  record Target(int number, String label, long offset, long sizeLimit, long length) {
    LoopSpec spec(Path file, boolean readOnly, boolean directIo) {
      String name =
          sizeLimit == 0 && offset == 0 ? file.toString() : LoopSpec.partitionName(file, label);
      return new LoopSpec(file, offset, sizeLimit, readOnly, directIo, false, 0, name);
    }
  }

  static AttachPlan whole(Path file, long fileSize) {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    return new AttachPlan(
        file, Optional.empty(), List.of(new Target(0, name, 0, 0, fileSize)), List.of());
  }

  /**
   * Partitions of an image, a device each: all data partitions, or those {@code parts} names.
   *
   * @throws CliException exit 2 for a PART that names nothing or the extended container; exit 3 for
   *     a PART past the end of the image, or when every partition is; exit 1 when the table has no
   *     data partition at all
   */
  static AttachPlan partitions(Path file, long fileSize, PartitionTable table, List<String> parts)
      throws CliException {
    return plan(file, fileSize, table, parts, FilesystemLabelsOnce.none(), false);
  }

  /**
   * Partitions of an image as BLKPG partitions of one whole-image device ({@code --partscan}),
   * chosen as {@link #partitions} chooses them. The kernel refuses overlapping partitions on one
   * device, so a partition overlapping one kept before it is left out, with a warning; and the
   * device has the table's sector size as its block size ({@link #blockSize}), so a partition cut
   * by the end of the image keeps whole sectors of that size.
   */
  static AttachPlan partScan(Path file, long fileSize, PartitionTable table, List<String> parts)
      throws CliException {
    return plan(file, fileSize, table, parts, FilesystemLabelsOnce.none(), true);
  }

  /**
   * {@link #partScan} or {@link #partitions}, with {@code label:NAME} also matching the filesystem
   * labels {@code filesystemLabels} reads (only when no GPT name matches): what attach runs.
   */
  static AttachPlan plan(
      Path file,
      long fileSize,
      PartitionTable table,
      List<String> parts,
      FilesystemLabelsOnce filesystemLabels,
      boolean partScan)
      throws CliException {
    List<Partition> chosen = new ArrayList<>();
    boolean explicit = !parts.isEmpty();
    if (explicit) {
      Set<Partition> seen = new LinkedHashSet<>();
      for (String text : parts) {
        Partition p;
        try {
          p = PartitionSelector.parse(text).resolve(table, filesystemLabels);
        } catch (IllegalArgumentException e) {
          throw new CliException(
              ExitCodes.USAGE, file + ": " + e.getMessage() + filesystemLabels.unreadNote());
        }
        if (p.kind() == PartitionKind.EXTENDED) {
          throw new CliException(
              ExitCodes.USAGE,
              file
                  + ": "
                  + p.name()
                  + " is the extended container (it holds only the EBR chain); attach its"
                  + " logical partitions instead");
        }
        if (seen.add(p)) chosen.add(p);
      }
    } else {
      chosen.addAll(table.dataPartitions());
    }
    List<Target> targets = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    int pastEnd = 0;
    int unit = partScan ? table.sectorSize().bytes() : SECTOR;
    for (Partition p : chosen) {
      if (p.size() == 0) {
        warnings.add(p.name() + " is empty (0 bytes): not attached");
        continue;
      }
      long inFile = Math.min(p.size(), Math.max(0, fileSize - p.start()));
      long length = inFile / unit * unit;
      if (length == 0) { // not one whole sector of it in the file
        String why =
            p.name()
                + " starts at byte "
                + p.start()
                + (inFile == 0 ? ", past" : ", less than a sector before")
                + " the end of the image ("
                + fileSize
                + " bytes)";
        if (explicit) throw new CliException(ExitCodes.BAD_TABLE, file + ": " + why);
        warnings.add(why + ": not attached");
        pastEnd++;
        continue;
      }
      if (partScan) {
        Optional<Target> under = overlapped(targets, p.start(), length);
        if (under.isPresent()) {
          String why =
              p.name()
                  + " overlaps "
                  + under.get().label()
                  + " (one device cannot hold overlapping partitions; attach it without"
                  + " --partscan)";
          if (explicit) throw new CliException(ExitCodes.USAGE, file + ": " + why);
          warnings.add(why.replace(" (one device", ": not attached (one device"));
          continue;
        }
      }
      if (inFile < p.size()) {
        warnings.add(
            p.name()
                + " (bytes "
                + p.start()
                + ".."
                + p.end()
                + ") ends "
                + (p.size() - inFile)
                + " bytes past the end of the image ("
                + fileSize
                + " bytes): its device has only "
                + length
                + " bytes");
      }
      targets.add(new Target(p.number(), p.name(), p.start(), p.size(), length));
    }
    if (targets.isEmpty() && pastEnd > 0) {
      // A truncated image (e.g. only the first sectors of a disk): its table is no use here.
      throw new CliException(
          ExitCodes.BAD_TABLE,
          file
              + ": "
              + (chosen.size() == 1
                  ? "its one data partition lies"
                  : "all " + chosen.size() + " data partitions lie")
              + " past the end of the image ("
              + fileSize
              + " bytes)"
              + (pastEnd < chosen.size() ? " or are empty" : "")
              + ": nothing to attach (use --whole for the whole file)");
    }
    if (targets.isEmpty()) {
      throw new CliException(
          ExitCodes.RUNTIME,
          file
              + ": the "
              + table.scheme()
              + " table has no data partition to attach (use --whole for the whole file)");
    }
    return new AttachPlan(file, Optional.of(table), targets, warnings);
  }

  /** The first of {@code kept} whose device range shares a byte with {@code [start, +length)}. */
  private static Optional<Target> overlapped(List<Target> kept, long start, long length) {
    return kept.stream()
        .filter(t -> start < t.offset() + t.length() && t.offset() < start + length)
        .findFirst();
  }

  /**
   * BLKPG partitions for {@code --partscan}: each target on the whole-file device. Only for a
   * {@link #partScan} plan: its targets do not overlap, and the whole file's target has no
   * partition number.
   */
  List<PartitionRange> partitionRanges() {
    return targets.stream()
        .map(t -> new PartitionRange(t.number(), t.offset(), t.length()))
        .toList();
  }
}
