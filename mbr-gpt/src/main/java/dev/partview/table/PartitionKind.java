package dev.partview.table;

/** Where a partition entry lives; the JSON names are the lower-case constants. */
public enum PartitionKind {
  /** One of the four MBR slots. */
  PRIMARY,
  /** The MBR slot holding the EBR chain (0x05, 0x0F, 0x85): listed, never exposed as a file. */
  EXTENDED,
  /** A data entry of an EBR. */
  LOGICAL,
  /** A GPT entry. */
  GPT;

  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
