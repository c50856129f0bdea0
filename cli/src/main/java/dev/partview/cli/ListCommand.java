package dev.partview.cli;

import dev.partview.fuse.probe.Filesystem;
import dev.partview.fuse.probe.FilesystemProbe;
import dev.partview.table.Partition;
import dev.partview.table.PartitionTable;
import dev.partview.table.PartitionTableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code partview list IMAGE [--json] [--sector-size N]}: the partition table in bytes and sectors,
 * with the filesystem libblkid finds in each partition. Without a table it says so, shows what the
 * whole image holds (an ISO 9660 or a bare filesystem), and exits 3.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List the partitions of a disk image: start, end and size in bytes and sectors, type,"
          + " GPT label and UUID, and the filesystem in each (probed with libblkid).",
      "Exits 3, with one line on stderr, when the image has no readable partition table."
    })
public final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ImageOptions image;

  @Option(
      names = "--json",
      description = "Print JSON: image, size, sectorSize, table, diskId, partitions, diagnostics.")
  boolean json;

  @Override
  public Integer call() throws CliException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PartitionTable table = null;
    PartitionTableException failure = null;
    try {
      table = image.readTable();
    } catch (PartitionTableException e) {
      failure = e;
    }
    Listing listing = gather(table, failure, err);
    if (json) out.println(ListingJson.render(listing));
    else ListingText.print(listing, out);
    out.flush();
    if (failure != null) throw image.badTable(failure);
    return ExitCodes.OK;
  }

  private Listing gather(PartitionTable table, PartitionTableException failure, PrintWriter err)
      throws CliException {
    long size = table != null ? table.imageSize() : imageSize();
    Map<Integer, Filesystem> found = new HashMap<>();
    Map<Integer, String> errors = new HashMap<>();
    Filesystem whole = null;
    String probe = null;
    if (!FilesystemProbe.available()) {
      if (Verbosity.of(spec)) {
        err.println(
            "partview: note: filesystems not probed: "
                + FilesystemProbe.unavailableReason().orElse("libblkid unavailable"));
      }
    } else {
      probe = FilesystemProbe.libraryVersion().orElse("libblkid");
      int sectorSize = table != null ? table.sectorSize().bytes() : 0;
      try (FilesystemProbe p = FilesystemProbe.open(image.image())) {
        whole = probeQuietly(p, 0, size, sectorSize, err).orElse(null);
        if (table != null) {
          for (Partition part : table.dataPartitions()) {
            try {
              p.probe(part.start(), part.size(), sectorSize)
                  .ifPresent(f -> found.put(part.number(), f));
            } catch (IOException e) {
              errors.put(part.number(), Cli.oneLine(e));
            }
          }
        }
      } catch (IOException e) {
        throw image.failure(e);
      }
    }
    return new Listing(
        image.image().toString(),
        size,
        table,
        failure,
        image.sectorSize,
        probe,
        whole,
        found,
        errors);
  }

  /** The whole image is context, not the subject: a failure to probe it is only a verbose note. */
  private Optional<Filesystem> probeQuietly(
      FilesystemProbe p, long offset, long size, int sectorSize, PrintWriter err) {
    try {
      return p.probe(offset, size, sectorSize);
    } catch (IOException e) {
      if (Verbosity.of(spec)) err.println("partview: note: whole image: " + Cli.oneLine(e));
      return Optional.empty();
    }
  }

  private long imageSize() throws CliException {
    try {
      return Files.size(image.image());
    } catch (IOException e) {
      throw image.failure(e);
    }
  }
}
