package dev.partview.testimages;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sfdisk --json} as canonical one-line-per-partition text, and the same text made from the
 * builder's expectation, so a mismatch shows as a readable list diff.
 */
final class Sfdisk {
  final JsonNode table;
  final String stderr;

  private Sfdisk(JsonNode table, String stderr) {
    this.table = table;
    this.stderr = stderr;
  }

  static Sfdisk read(Path imageOrDevice) throws IOException, InterruptedException {
    Tool t = Tool.ok("sfdisk", "--json", imageOrDevice.toString());
    return new Sfdisk(t.json().path("partitiontable"), t.err());
  }

  String label() {
    return table.path("label").asText();
  }

  /** Disk id in the builder's spelling: {@code 0x…} or a lower-case GUID. */
  String id() {
    return table.path("id").asText().toLowerCase(Locale.ROOT);
  }

  int sectorSize() {
    return table.path("sectorsize").asInt();
  }

  List<String> listing() {
    String device = table.path("device").asText();
    boolean gpt = label().equals("gpt");
    List<String> out = new ArrayList<>();
    for (JsonNode p : table.path("partitions")) {
      String suffix = p.path("node").asText().substring(device.length()).replaceFirst("^p", "");
      String type = p.path("type").asText().toLowerCase(Locale.ROOT);
      out.add(
          line(
              Integer.parseInt(suffix),
              p.path("start").asLong() * sectorSize(),
              p.path("size").asLong() * sectorSize(),
              gpt ? type : ExpectedPartition.mbrType(Integer.parseInt(type, 16)),
              gpt ? p.path("uuid").asText().toLowerCase(Locale.ROOT) : null,
              gpt ? p.path("name").asText("") : null,
              p.path("bootable").asBoolean(false)));
    }
    return out;
  }

  /**
   * The same lines from the builder. sfdisk never shows GPT bootable flags as "bootable", so for
   * GPT the flag is left out on both sides.
   */
  static List<String> expected(List<ExpectedPartition> partitions) {
    List<String> out = new ArrayList<>();
    for (ExpectedPartition p : partitions) {
      boolean gpt = p.kind() == ExpectedPartition.Kind.GPT;
      out.add(
          line(
              p.number(),
              p.start(),
              p.size(),
              p.type(),
              gpt ? p.uuid().toString() : null,
              p.label(),
              !gpt && p.bootable()));
    }
    return out;
  }

  private static String line(
      int number, long start, long size, String type, String uuid, String name, boolean bootable) {
    return String.format(
        Locale.ROOT,
        "p%d start=%d size=%d type=%s%s%s%s",
        number,
        start,
        size,
        type,
        uuid == null ? "" : " uuid=" + uuid,
        name == null ? "" : " name=" + name,
        bootable ? " bootable" : "");
  }
}
