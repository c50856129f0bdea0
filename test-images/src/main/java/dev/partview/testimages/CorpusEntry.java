package dev.partview.testimages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partview.testimages.ExpectedPartition.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One image of the conformance corpus with its expected parse result (see the corpus README for
 * every field; the rarely needed ones stay reachable through {@link #json()}).
 *
 * @param id the manifest's short id, e.g. {@code "gptman-disk2"}
 * @param file path of the .xz relative to the corpus root
 * @param compressed the .xz itself
 * @param table {@code "dos"}, {@code "gpt"}, {@code "bsd"}, … or {@code null} for no table
 * @param diskId MBR signature {@code "0x…"}, GPT disk GUID, or {@code null}
 * @param truncated the file is only the first part of a larger disk
 * @param partitionsBeyondEnd numbers of partitions that end past the end of the file
 */
public record CorpusEntry(
    String id,
    String file,
    Path compressed,
    long uncompressedSize,
    String sha256Uncompressed,
    int sectorSize,
    String table,
    String diskId,
    List<ExpectedPartition> partitions,
    boolean truncated,
    List<Integer> partitionsBeyondEnd,
    List<String> edgeCases,
    JsonNode json) {

  public CorpusEntry {
    partitions = List.copyOf(partitions);
    partitionsBeyondEnd = List.copyOf(partitionsBeyondEnd);
    edgeCases = List.copyOf(edgeCases);
  }

  static CorpusEntry fromJson(JsonNode e, Path root) {
    String file = e.path("file").asText();
    int sectorSize = e.path("sector_size").asInt(512);
    String table = textOrNull(e.get("table"));
    List<ExpectedPartition> partitions = new ArrayList<>();
    for (JsonNode p : e.path("partitions")) partitions.add(partition(p, table, sectorSize));
    List<Integer> beyond = new ArrayList<>();
    for (JsonNode n : e.path("partitions_beyond_image_end")) beyond.add(n.asInt());
    List<String> edgeCases = new ArrayList<>();
    for (JsonNode t : e.path("edge_cases")) edgeCases.add(t.asText());
    return new CorpusEntry(
        e.path("id").asText(),
        file,
        root.resolve(file),
        e.path("uncompressed_size").asLong(),
        e.path("sha256_uncompressed").asText(),
        sectorSize,
        table,
        textOrNull(e.get("disk_id")),
        partitions,
        e.path("truncated_image").asBoolean(false),
        beyond,
        edgeCases,
        e);
  }

  public boolean hasEdgeCase(String tag) {
    return edgeCases.contains(tag);
  }

  private static ExpectedPartition partition(JsonNode p, String table, int sectorSize) {
    long start = p.path("start_bytes").asLong();
    long size = p.path("size_bytes").asLong();
    long attributes =
        p.hasNonNull("attributes")
            ? Long.parseUnsignedLong(p.get("attributes").asText().substring(2), 16)
            : 0;
    String uuid = textOrNull(p.get("uuid"));
    boolean bootable =
        p.hasNonNull("bootable")
            ? p.get("bootable").asBoolean()
            : (attributes & GptPartition.LEGACY_BIOS_BOOTABLE) != 0;
    return new ExpectedPartition(
        p.path("number").asInt(),
        kind(textOrNull(p.get("kind")), table),
        start / sectorSize,
        size / sectorSize,
        start,
        size,
        p.path("type").asText(),
        textOrNull(p.get("name")),
        uuid == null ? null : UUID.fromString(uuid),
        bootable,
        attributes);
  }

  /** dos entries say primary/extended/logical; GPT entries have no kind; other labels are OTHER. */
  private static Kind kind(String kind, String table) {
    if ("gpt".equals(table)) return Kind.GPT;
    if (kind == null) return Kind.OTHER;
    switch (kind) {
      case "primary":
      case "extended":
      case "logical":
        return Kind.valueOf(kind.toUpperCase(Locale.ROOT));
      default:
        return Kind.OTHER;
    }
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
