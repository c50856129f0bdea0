package dev.partview.cli;

import dev.partview.table.Partition;
import dev.partview.table.PartitionKind;
import dev.partview.table.PartitionSelector;
import dev.partview.table.PartitionTable;
import dev.partview.table.PartitionTableException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code partview offset IMAGE PART [--size]}: one number in bytes, for {@code mount -o
 * loop,offset=$(partview offset disk.img p1)} and {@code losetup -o}.
 */
@Command(
    name = "offset",
    mixinStandardHelpOptions = true,
    description = {
      // The first line is the summary in the root --help and the man page's NAME: a sentence.
      "Print where a partition starts, in bytes (or its size with --size): one number.",
      "For example:",
      "  mount -o loop,offset=$(partview offset disk.img p1) disk.img /mnt"
    })
public final class OffsetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ImageOptions image;

  @Parameters(index = "1", paramLabel = "PART", description = "1, p1, label:NAME or uuid:UUID.")
  String part;

  @Option(names = "--size", description = "Print the size in bytes instead of the start.")
  boolean size;

  @Override
  public Integer call() throws CliException {
    PartitionSelector selector;
    try {
      selector = PartitionSelector.parse(part);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PartitionTable table;
    try {
      table = image.readTable();
    } catch (PartitionTableException e) {
      throw image.badTable(e);
    }
    FilesystemLabelsOnce labels = new FilesystemLabelsOnce(image.image(), table);
    Partition p;
    try {
      p = selector.resolve(table, labels);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.USAGE, image.image() + ": " + e.getMessage() + labels.unreadNote());
    }
    if (p.kind() == PartitionKind.EXTENDED) {
      throw new CliException(
          ExitCodes.USAGE,
          image.image()
              + ": "
              + p.name()
              + " is the extended partition, a container of logical partitions (p5, …) with no"
              + " filesystem of its own; 'partview list' shows its bytes");
    }
    spec.commandLine().getOut().println(size ? p.size() : p.start());
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
