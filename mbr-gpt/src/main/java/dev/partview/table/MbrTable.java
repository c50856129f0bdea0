package dev.partview.table;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A DOS/MBR table: up to four primaries and the logicals of the first extended partition.
 *
 * @param diskSignature the 32-bit NT disk signature at byte 440
 */
public record MbrTable(
    long diskSignature,
    SectorSize sectorSize,
    long imageSize,
    List<Partition> partitions,
    List<Diagnostic> diagnostics)
    implements PartitionTable {

  public MbrTable {
    partitions = List.copyOf(partitions);
    diagnostics = List.copyOf(diagnostics);
  }

  @Override
  public String scheme() {
    return "dos";
  }

  @Override
  public String diskId() {
    return String.format(Locale.ROOT, "0x%08x", diskSignature);
  }

  /** No signature, no PARTUUID (blkid gives none either). */
  @Override
  public Optional<String> partUuid(Partition p) {
    if (diskSignature == 0) return Optional.empty();
    return Optional.of(String.format(Locale.ROOT, "%08x-%02x", diskSignature, p.number()));
  }
}
