package dev.partview.table;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * How users name a partition: {@code 1}, {@code p1}, {@code label:NAME} (GPT name) or {@code
 * uuid:UUID} (GPT unique partition GUID, any case).
 */
public record PartitionSelector(String text) {

  public PartitionSelector {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) throw new IllegalArgumentException("empty partition name");
  }

  public static PartitionSelector parse(String text) {
    PartitionSelector s = new PartitionSelector(text.strip());
    if (!s.isLabel() && !s.isUuid())
      s.number(); // validate eagerly: a usage error, not a lookup miss
    return s;
  }

  /**
   * The partition this names.
   *
   * @throws IllegalArgumentException naming the selector and what the table has, if none matches or
   *     a label matches more than one partition
   */
  public Partition resolve(PartitionTable table) {
    List<Partition> hits = table.partitions().stream().filter(this::matches).toList();
    if (hits.size() == 1) return hits.get(0);
    String have =
        table.partitions().stream()
            .map(Partition::name)
            .reduce((a, b) -> a + ", " + b)
            .orElse("none");
    if (hits.isEmpty())
      throw new IllegalArgumentException("no partition " + text + " (the image has: " + have + ")");
    throw new IllegalArgumentException(
        text + " matches " + hits.size() + " partitions; use a number (" + have + ")");
  }

  public boolean matches(Partition p) {
    if (isLabel()) return text.substring(6).equals(p.label());
    if (isUuid()) {
      UUID u = p.uuid();
      return u != null && u.toString().equalsIgnoreCase(text.substring(5));
    }
    return p.number() == number();
  }

  private boolean isLabel() {
    return text.startsWith("label:");
  }

  private boolean isUuid() {
    return text.toLowerCase(Locale.ROOT).startsWith("uuid:");
  }

  private int number() {
    String digits = text.startsWith("p") ? text.substring(1) : text;
    try {
      int n = Integer.parseInt(digits);
      if (n >= 1) return n;
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "not a partition: '" + text + "' (use 1, p1, label:NAME or uuid:UUID)");
  }
}
