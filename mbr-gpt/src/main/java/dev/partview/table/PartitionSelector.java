package dev.partview.table;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How users name a partition: {@code 1}, {@code p1}, {@code label:NAME} (GPT name, exactly as
 * stored, spaces included; else a filesystem's label, which the caller reads: this module reads
 * tables only) or {@code uuid:UUID} (the PARTUUID, any case: the GPT unique partition GUID, or for
 * MBR {@code 1234abcd-05} as Linux and a partview mount's by-partuuid spell it). The prefixes take
 * any case ({@code LABEL:}, as blkid writes {@code LABEL=}); the name after them is exact.
 */
public record PartitionSelector(String text) {

  public PartitionSelector {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) throw new IllegalArgumentException("empty partition name");
  }

  public static PartitionSelector parse(String text) {
    String t = text.stripLeading();
    PartitionSelector s = new PartitionSelector(hasPrefix(t, LABEL) ? t : t.strip());
    // validate eagerly: a usage error, not a lookup miss
    if (s.isLabel() || s.isUuid()) {
      if (s.name().isEmpty()) {
        throw new IllegalArgumentException(
            "not a partition: '" + s.text + "' (" + s.text + " needs a name after the colon)");
      }
    } else {
      s.number();
    }
    return s;
  }

  private static final String LABEL = "label:";
  private static final String UUID = "uuid:";

  private static boolean hasPrefix(String text, String prefix) {
    return text.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  /** What follows {@code label:} or {@code uuid:}. */
  private String name() {
    return text.substring((isLabel() ? LABEL : UUID).length());
  }

  /**
   * The partition this names, {@code label:} matching GPT names only.
   *
   * @throws IllegalArgumentException naming the selector and what the table has, if none matches or
   *     a label matches more than one partition
   */
  public Partition resolve(PartitionTable table) {
    return resolve(table, Map::of);
  }

  /**
   * The partition this names. {@code label:NAME} matches GPT names first, as a mount's by-label/
   * does, and only when none has it the data partitions' filesystem labels (by partition number),
   * asked for only then: reading them costs a libblkid start.
   *
   * @throws IllegalArgumentException naming the selector and what the table has, if none matches or
   *     a label matches more than one partition
   */
  public Partition resolve(PartitionTable table, Supplier<Map<Integer, String>> filesystemLabels) {
    List<Partition> hits = table.partitions().stream().filter(p -> matches(table, p)).toList();
    if (hits.isEmpty() && isLabel()) {
      Map<Integer, String> labels = filesystemLabels.get();
      hits =
          table.dataPartitions().stream()
              .filter(p -> name().equals(labels.get(p.number())))
              .toList();
    }
    if (hits.size() == 1) return hits.get(0);
    if (hits.isEmpty()) {
      String what = isLabel() ? "; no GPT name or filesystem label is '" + name() + "'" : "";
      throw new IllegalArgumentException(
          "no partition " + text + " (the image has: " + names(table.partitions()) + what + ")");
    }
    throw new IllegalArgumentException(
        text + " matches " + hits.size() + " partitions; use a number (" + names(hits) + ")");
  }

  private static String names(List<Partition> ps) {
    return ps.isEmpty() ? "none" : String.join(", ", ps.stream().map(Partition::name).toList());
  }

  public boolean matches(PartitionTable table, Partition p) {
    if (isLabel()) return name().equals(p.label());
    if (isUuid()) return table.partUuid(p).filter(u -> u.equalsIgnoreCase(name())).isPresent();
    return p.number() == number();
  }

  private boolean isLabel() {
    return hasPrefix(text, LABEL);
  }

  private boolean isUuid() {
    return hasPrefix(text, UUID);
  }

  private int number() {
    String digits = text.startsWith("p") ? text.substring(1) : text;
    // ASCII digits only: parseInt also takes "+1" and other scripts' digits ("１").
    if (digits.matches("[0-9]{1,9}")) {
      int n = Integer.parseInt(digits);
      if (n >= 1) return n;
    }
    throw new IllegalArgumentException(
        "not a partition: '" + text + "' (use 1, p1, label:NAME or uuid:UUID)");
  }
}
