package dev.partview.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The fields {@code list --json} promises (DESIGN.md), in the order it writes them. */
final class ListJsonFields {
  private ListJsonFields() {}

  static final List<String> TOP =
      List.of(
          "image",
          "size",
          "sectorSize",
          "sectorSizeSource",
          "table",
          "diskId",
          "partitions",
          "diagnostics");

  static final List<String> PARTITION =
      List.of(
          "number",
          "name",
          "kind",
          "start",
          "size",
          "end",
          "startSector",
          "sectors",
          "type",
          "typeName",
          "label",
          "uuid",
          "bootable",
          "filesystem");

  /** The field names of a JSON object, in order. */
  static List<String> names(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
