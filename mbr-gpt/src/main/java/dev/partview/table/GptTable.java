package dev.partview.table;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A GUID partition table.
 *
 * @param hybridMbr LBA 0 holds data entries beside the 0xEE one; GPT wins, as in Linux
 * @param fromBackup the primary header was damaged and the backup header was used
 * @param firstUsableLba first LBA partitions may use, from the header
 * @param lastUsableLba last LBA partitions may use, from the header
 */
public record GptTable(
    UUID diskGuid,
    SectorSize sectorSize,
    long imageSize,
    List<Partition> partitions,
    List<Diagnostic> diagnostics,
    boolean hybridMbr,
    boolean fromBackup,
    long firstUsableLba,
    long lastUsableLba)
    implements PartitionTable {

  public GptTable {
    partitions = List.copyOf(partitions);
    diagnostics = List.copyOf(diagnostics);
  }

  @Override
  public String scheme() {
    return "gpt";
  }

  @Override
  public String diskId() {
    return diskGuid.toString();
  }

  @Override
  public Optional<String> partUuid(Partition p) {
    return Optional.ofNullable(p.uuid()).map(u -> u.toString().toLowerCase(Locale.ROOT));
  }
}
