package dev.partview.cli;

import dev.partview.table.PartitionTable;
import dev.partview.table.PartitionTableException;
import dev.partview.table.PartitionTableReader;
import dev.partview.table.ReadOptions;
import dev.partview.table.SectorSize;
import dev.partview.table.io.FileChannelSource;
import dev.partview.table.io.FileKind;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code IMAGE [--sector-size N]}: the image a command reads and how to read its table. */
public final class ImageOptions {
  @Parameters(index = "0", paramLabel = "IMAGE", description = "The disk image file.")
  Path image;

  @Option(
      names = "--sector-size",
      paramLabel = "N",
      converter = SectorSizeConverter.class,
      description =
          // ASCII only: roff under a C locale has no glyph for an ellipsis (the man pages).
          "Logical sector size in bytes, a power of two from 512 to 65536 (e.g. 4096). Default:"
              + " detected from the table (GPT header position; for MBR a consistency check),"
              + " else 512.")
  Integer sectorSize;

  public Path image() {
    return image;
  }

  public ReadOptions readOptions() {
    return readOptions(sectorSize);
  }

  /** How to read a table given {@code --sector-size} (null when not given). */
  static ReadOptions readOptions(Integer sectorSize) {
    ReadOptions o = ReadOptions.defaults();
    return sectorSize == null ? o : o.withSectorSize(sectorSize);
  }

  /**
   * Reads the table.
   *
   * @throws PartitionTableException when there is no readable table (the caller decides how to
   *     report it)
   * @throws CliException for everything else: a missing or unreadable file, an I/O error
   */
  public PartitionTable readTable() throws PartitionTableException, CliException {
    checkReadable();
    try (FileChannelSource src = FileChannelSource.open(image)) {
      return PartitionTableReader.read(src, readOptions());
    } catch (PartitionTableException e) {
      throw e;
    } catch (IOException e) {
      throw failure(e);
    }
  }

  /**
   * The one-line error for a table that could not be read: {@code IMAGE: structure: … at offset N}.
   */
  public CliException badTable(PartitionTableException e) {
    return new CliException(ExitCodes.BAD_TABLE, image + ": " + e.getMessage(), e);
  }

  /** An I/O failure on the image as a one-line runtime error naming it. */
  public CliException failure(IOException e) {
    if (e instanceof NoSuchFileException) {
      return new CliException(ExitCodes.RUNTIME, image + ": no such file", e);
    }
    if (e instanceof AccessDeniedException) {
      return new CliException(ExitCodes.RUNTIME, image + ": permission denied", e);
    }
    return new CliException(ExitCodes.RUNTIME, image + ": " + Cli.oneLine(e), e);
  }

  /** Fails early, with the file's name, on what would otherwise be an odd I/O error later. */
  void checkReadable() throws CliException {
    if (!Files.exists(image)) {
      throw new CliException(ExitCodes.RUNTIME, image + ": no such file");
    }
    if (Files.isDirectory(image)) {
      throw new CliException(ExitCodes.RUNTIME, image + ": is a directory, not a disk image");
    }
    Optional<String> refusal;
    try {
      refusal = FileKind.refusal(image);
    } catch (IOException e) {
      throw failure(e);
    }
    if (refusal.isPresent()) throw new CliException(ExitCodes.RUNTIME, refusal.get());
  }

  /** Only sizes a {@link SectorSize} can be: powers of two from 512 to 65536. */
  static final class SectorSizeConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.strip());
        new SectorSize(n, "option");
        return n;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a sector size (a power of two from 512 to 65536, e.g. 4096)");
      }
    }
  }
}
