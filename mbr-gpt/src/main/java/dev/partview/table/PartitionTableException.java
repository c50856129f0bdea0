package dev.partview.table;

import java.io.IOException;
import java.util.Objects;

/**
 * The one checked exception of this module: the image could not be read as a partition table. It
 * names the structure and the byte offset, so a user can look at the bytes themselves, e.g. {@code
 * "GPT header at LBA 1: header size 4294967295 out of range at offset 524 (expected 92..512)"}.
 */
public final class PartitionTableException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What kind of trouble. */
  public enum Kind {
    /** The image ends before a structure that must be there. */
    TRUNCATED,
    /** A structure is there but its content is invalid. */
    CORRUPT,
    /** Valid, but not something partview reads (e.g. a BSD or Apple label). */
    UNSUPPORTED,
    /** No partition table at all (e.g. a bare filesystem or an empty image). */
    NO_TABLE
  }

  private final Kind kind;
  private final String structure;
  private final long offset;

  public PartitionTableException(Kind kind, String structure, long offset, String detail) {
    super(structure + ": " + detail + " at offset " + offset);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.structure = Objects.requireNonNull(structure, "structure");
    this.offset = offset;
  }

  private PartitionTableException(PartitionTableException first, PartitionTableException then) {
    super(first.getMessage() + "; " + then.getMessage(), first);
    addSuppressed(then); // --verbose shows both stacks
    this.kind = first.kind;
    this.structure = first.structure;
    this.offset = first.offset;
  }

  /**
   * This failure, with what went wrong with the next thing tried after it (e.g. the backup GPT
   * header after the primary): one message, both structures and offsets.
   */
  public PartitionTableException andThen(PartitionTableException then) {
    return new PartitionTableException(this, then);
  }

  public Kind kind() {
    return kind;
  }

  /** The structure concerned, e.g. {@code "EBR #3 at LBA 4096"}. */
  public String structure() {
    return structure;
  }

  /** The byte offset in the image where the trouble is. */
  public long offset() {
    return offset;
  }
}
