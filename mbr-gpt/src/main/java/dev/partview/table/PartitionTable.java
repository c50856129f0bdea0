package dev.partview.table;

import java.util.List;
import java.util.Optional;

/** A partition table as read from an image: MBR (with its EBR chain) or GPT. Immutable. */
public sealed interface PartitionTable permits MbrTable, GptTable {

  /** {@code "dos"} or {@code "gpt"}, as sfdisk and the JSON contract spell them. */
  String scheme();

  SectorSize sectorSize();

  /** Size of the image the table was read from, in bytes. */
  long imageSize();

  /** MBR disk signature as {@code 0x1234abcd}, or the GPT disk GUID. */
  String diskId();

  /** All entries, extended containers included, in number order. */
  List<Partition> partitions();

  /** Everything odd that did not stop the table from being read. */
  List<Diagnostic> diagnostics();

  default Optional<Partition> partition(int number) {
    return partitions().stream().filter(p -> p.number() == number).findFirst();
  }

  /**
   * The PARTUUID Linux and blkid give a partition: the GPT unique GUID in lower case, or for MBR
   * the disk signature and the partition number ({@code 1234abcd-05}); empty for an MBR without a
   * signature.
   */
  Optional<String> partUuid(Partition p);

  /** The partitions that hold data: everything but extended containers. */
  default List<Partition> dataPartitions() {
    return partitions().stream().filter(Partition::isData).toList();
  }
}
