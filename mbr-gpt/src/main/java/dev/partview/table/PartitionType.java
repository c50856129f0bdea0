package dev.partview.table;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/** A partition type: an MBR type byte or a GPT type GUID. */
public sealed interface PartitionType permits PartitionType.Mbr, PartitionType.Gpt {

  /** The contract's spelling: {@code "0x83"} or a lower-case GUID. */
  String id();

  /** A human name from the catalogue, or {@code "unknown"}. */
  String displayName();

  /** An MBR system indicator byte. */
  record Mbr(int code) implements PartitionType {
    public Mbr {
      if (code < 0 || code > 0xFF)
        throw new IllegalArgumentException("MBR type byte out of range: " + code);
    }

    @Override
    public String id() {
      return String.format(Locale.ROOT, "0x%02x", code);
    }

    @Override
    public String displayName() {
      return PartitionTypeNames.mbr(code);
    }
  }

  /** A GPT partition type GUID. */
  record Gpt(UUID guid) implements PartitionType {
    public Gpt {
      Objects.requireNonNull(guid, "guid");
    }

    @Override
    public String id() {
      return guid.toString();
    }

    @Override
    public String displayName() {
      return PartitionTypeNames.gpt(guid);
    }
  }
}
