package dev.partview.cli;

import dev.partview.cli.extract.AtomicFileSink;
import dev.partview.cli.extract.DataExtents;
import dev.partview.cli.extract.Progress;
import dev.partview.cli.extract.ProgressBars;
import dev.partview.cli.extract.RangeCopier;
import dev.partview.cli.extract.RangeIOException;
import dev.partview.cli.extract.Sink;
import dev.partview.cli.extract.StreamSink;
import dev.partview.cli.extract.Terminals;
import dev.partview.table.ByteSizes;
import dev.partview.table.Partition;
import dev.partview.table.PartitionKind;
import dev.partview.table.PartitionSelector;
import dev.partview.table.PartitionTable;
import dev.partview.table.PartitionTableException;
import dev.partview.table.PartitionTableReader;
import dev.partview.table.ReadOptions;
import dev.partview.table.SectorSize;
import dev.partview.table.io.FileChannelSource;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code partview extract IMAGE PART -o FILE}: one partition (or byte range) copied out as a plain,
 * sparse file. No root, no FUSE: the image only has to be readable.
 */
@Command(
    name = "extract",
    mixinStandardHelpOptions = true,
    description = {
      "Copy one partition, or a byte range, of an image to a file or to stdout.",
      "Holes stay holes and zero blocks become holes; the file appears under its name only when"
          + " complete. A progress bar is drawn on stderr when it is a terminal."
    },
    footer = {
      "",
      "Examples:",
      "  partview extract disk.img p2 -o root.img",
      "  partview extract disk.img label:EFI -o - | sha256sum",
      "  partview extract disk.img --offset 63s --length 100M -o part.img"
    })
public final class ExtractCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ImageOptions imageOptions;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "PART",
      description = "1, p1, label:NAME or uuid:UUID (or give --offset instead).")
  String part;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description =
          "The file to write, or - for stdout (the default when stdout is not a terminal).")
  String output;

  @Option(
      names = "--offset",
      paramLabel = "OFFSET",
      description = "Extract from this byte offset instead of a partition: bytes, Ns, K, M, G, T.")
  String offset;

  @Option(
      names = "--length",
      paramLabel = "LENGTH",
      description = "With --offset: how much (default: to the end of the image).")
  String length;

  @Option(
      names = {"-f", "--force"},
      description = "Replace FILE if it exists.")
  boolean force;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress bar.")
  boolean quiet;

  @Option(
      names = "--sha256",
      description = "Print '<sha256>  FILE' of the bytes written (to stderr with -o -).")
  boolean sha256;

  /** Where {@code -o -} writes; tests put a channel of their own here. */
  WritableByteChannel stdout;

  /** What is extracted: a name for messages, and the byte range in the image. */
  record Range(String name, long start, long length) {}

  /**
   * Below this, holes are read (as zeros, at several GB/s) rather than looked up: binding libc for
   * {@code SEEK_DATA} costs 100-150 ms, about what copying 256 MiB of data takes. Above it, the
   * binding loads in the background once the copy meets zeros (see {@link DataExtents}).
   */
  static final long SEEK_DATA_THRESHOLD = 256L << 20;

  /** The image, as named on the command line. */
  private Path image;

  @Override
  public Integer call() throws Exception {
    image = imageOptions.image();
    try (FileChannel src = openImage()) {
      Range range = part != null ? partitionRange(src) : offsetRange(src);
      try (DataExtents extents =
          range.length() >= SEEK_DATA_THRESHOLD
              ? DataExtents.of(image, RangeCopier.MAP_WINDOW)
              : DataExtents.allData()) {
        return extract(src, range, extents);
      }
    }
  }

  /** Opens the image; every failure is one line naming it. */
  private FileChannel openImage() throws CliException {
    imageOptions.checkReadable();
    try {
      return FileChannel.open(image, StandardOpenOption.READ);
    } catch (IOException e) {
      throw imageOptions.failure(e);
    }
  }

  private int extract(FileChannel src, Range range, DataExtents extents) throws Exception {
    boolean toStdout = "-".equals(output);
    if (output == null) {
      if (Terminals.isTerminal(Terminals.STDOUT)) {
        throw usage("give -o FILE (or -o - and a redirection): stdout is a terminal");
      }
      toStdout = true;
    }
    MessageDigest digest = sha256 ? sha256() : null;
    String what = image + " " + range.name();
    if (toStdout) {
      WritableByteChannel out =
          stdout != null ? stdout : new FileOutputStream(FileDescriptor.out).getChannel();
      copy(src, range, extents, new StreamSink(out), digest, what);
      if (digest != null) printHash(spec.commandLine().getErr(), digest, "-");
      return ExitCodes.OK;
    }
    if (output.isEmpty()) throw usage("-o needs a file name (or - for standard output)");
    Path target = Path.of(output);
    if (Files.exists(target) && Files.isSameFile(target, image)) {
      throw usage(output + ": is the image itself");
    }
    try (AtomicFileSink sink = AtomicFileSink.create(target, force)) {
      copy(src, range, extents, sink, digest, what);
      sink.commit();
    } catch (FileAlreadyExistsException e) {
      throw new CliException(ExitCodes.RUNTIME, output + ": " + e.getReason(), e);
    }
    if (digest != null) printHash(spec.commandLine().getOut(), digest, output);
    return ExitCodes.OK;
  }

  private void copy(
      FileChannel src,
      Range range,
      DataExtents extents,
      Sink sink,
      MessageDigest digest,
      String what)
      throws CliException, IOException {
    try (Progress progress = ProgressBars.forStderr(range.name(), range.length(), quiet)) {
      new RangeCopier(RangeCopier.Strategy.fromSystemProperty(), RangeCopier.DEFAULT_CHUNK)
          .copy(src, range.start(), range.length(), extents, sink, digest, progress);
    } catch (RangeIOException e) {
      throw new CliException(ExitCodes.RUNTIME, what + ": " + e.getMessage(), e);
    }
  }

  private Range partitionRange(FileChannel src) throws IOException, CliException {
    if (offset != null || length != null) {
      throw usage("give PART or --offset/--length, not both");
    }
    PartitionSelector selector;
    try {
      selector = PartitionSelector.parse(part);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    PartitionTable table = readTable(src);
    FilesystemLabelsOnce labels = new FilesystemLabelsOnce(image, table);
    Partition p;
    try {
      p = selector.resolve(table, labels);
    } catch (IllegalArgumentException e) {
      throw usage(image + ": " + e.getMessage() + labels.unreadNote());
    }
    if (p.kind() == PartitionKind.EXTENDED) {
      String logicals =
          table.partitions().stream()
              .filter(q -> q.kind() == PartitionKind.LOGICAL)
              .map(Partition::name)
              .collect(Collectors.joining(", "));
      throw usage(
          image
              + " "
              + p.name()
              + ": the extended partition at byte "
              + p.start()
              + " holds only the EBR chain, not data; extract a logical partition instead"
              + (logicals.isEmpty() ? " (there are none)" : " (" + logicals + ")"));
    }
    long size = src.size();
    if (p.start() + p.size() > size) {
      throw new CliException(
          ExitCodes.BAD_TABLE,
          image
              + " "
              + p.name()
              + ": bytes "
              + p.start()
              + ".."
              + p.end()
              + " end past the end of the image at byte "
              + size
              + " (truncated image?)");
    }
    return new Range(p.name(), p.start(), p.size());
  }

  private Range offsetRange(FileChannel src) throws IOException, CliException {
    if (offset == null) {
      throw usage(
          length != null
              ? "--length needs --offset"
              : "give PART (1, p1, label:NAME, uuid:UUID) or --offset");
    }
    // The table is read only to know what one "s" is worth.
    boolean sectors =
        ByteSizes.inSectors(offset) || (length != null && ByteSizes.inSectors(length));
    int ss = sectors ? sectorSizeForSuffixes(src) : SectorSize.DEFAULT;
    long start;
    long len;
    try {
      start = ByteSizes.parse(offset, ss);
      len = length == null ? -1 : ByteSizes.parse(length, ss);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    long size = src.size();
    if (start > size) {
      throw usage(
          image + ": offset " + start + " is past the end of the image (" + size + " bytes)");
    }
    if (len < 0) len = size - start;
    if (len > size - start) {
      throw usage(
          image
              + ": range at byte "
              + start
              + " of "
              + len
              + " bytes ends past the end of the image at byte "
              + size);
    }
    return new Range("bytes " + start + "+" + len, start, len);
  }

  /** What {@code s} means: --sector-size, else the table's detected size, else 512. */
  private int sectorSizeForSuffixes(FileChannel src) throws IOException {
    ReadOptions opts = imageOptions.readOptions();
    if (opts.sectorSizeGiven()) return opts.sectorSize();
    try {
      return PartitionTableReader.read(FileChannelSource.wrap(src), opts).sectorSize().bytes();
    } catch (PartitionTableException e) {
      return SectorSize.DEFAULT; // a range needs no table; without one, 512 as everywhere
    }
  }

  private PartitionTable readTable(FileChannel src) throws IOException, CliException {
    try {
      return PartitionTableReader.read(FileChannelSource.wrap(src), imageOptions.readOptions());
    } catch (PartitionTableException e) {
      throw imageOptions.badTable(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  private static void printHash(java.io.PrintWriter to, MessageDigest digest, String name) {
    to.println(HexFormat.of().formatHex(digest.digest()) + "  " + name);
    to.flush();
  }

  private static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }
}
