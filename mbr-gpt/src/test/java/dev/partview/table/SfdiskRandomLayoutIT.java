package dev.partview.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random DOS layouts written by {@code sfdisk} into sparse files: primaries in random slots
 * (empty slots keep their numbers), one extended partition (0x05, 0x0F or 0x85) with logicals in
 * random order (so the EBR chain may run backwards) and gaps everywhere, random types, a random
 * bootable flag and disk signature. The reader must agree with {@code sfdisk --json} on every
 * partition (number, start, size, type, bootable) and on the disk id — and with the layout asked
 * for.
 */
class SfdiskRandomLayoutIT {
  private static final int[] TYPES = {0x83, 0x82, 0x07, 0x0c, 0x8e, 0xfd, 0x06, 0xa0};
  private static final int[] EXTENDED = {0x05, 0x0f, 0x85};
  private static final long MIB = 2048; // sectors

  /** One partition as sfdisk should report it. */
  record Want(int number, long start, long size, int type, boolean bootable) {
    String line() {
      return String.format(
          Locale.ROOT,
          "p%d start=%d size=%d type=%02x boot=%s",
          number,
          start,
          size,
          type,
          bootable);
    }
  }

  @TempDir Path dir;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void sfdiskLayoutsReadTheSame(long seed) throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    Random r = new Random(seed);
    StringBuilder script = new StringBuilder("label: dos\n");
    long diskId = r.nextInt() & 0xFFFF_FFFFL;
    if (diskId == 0) diskId = 1;
    script.append(String.format(Locale.ROOT, "label-id: 0x%08x\n", diskId));
    Path image = dir.resolve("dos-" + seed + ".img");

    List<Integer> slots = new ArrayList<>(List.of(1, 2, 3, 4));
    Collections.shuffle(slots, r);
    int primaries = r.nextInt(4); // plus one extended
    int extSlot = slots.get(primaries);
    List<Integer> used = new ArrayList<>(slots.subList(0, primaries + 1));
    Collections.sort(used);
    int bootSlot = r.nextBoolean() ? used.get(r.nextInt(used.size())) : -1;
    if (bootSlot == extSlot) bootSlot = -1;

    List<Want> want = new ArrayList<>();
    long cursor = MIB * (1 + r.nextInt(3));
    List<String> lines = new ArrayList<>();
    List<Want> logicalsInDiskOrder = new ArrayList<>();
    for (int slot : used) {
      if (slot == extSlot) {
        int n = 1 + r.nextInt(8);
        long extStart = cursor;
        long c = extStart;
        for (int i = 0; i < n; i++) {
          c += MIB * (2 + r.nextInt(2)); // room for the EBR sfdisk puts 1 MiB before, and a gap
          long size = MIB * (1 + r.nextInt(4));
          logicalsInDiskOrder.add(new Want(0, c, size, TYPES[r.nextInt(TYPES.length)], false));
          c += size;
        }
        long extSize = c - extStart + MIB * r.nextInt(3);
        int extType = EXTENDED[r.nextInt(EXTENDED.length)];
        lines.add(entry(image, slot, extStart, extSize, extType, false));
        want.add(new Want(slot, extStart, extSize, extType, false));
        cursor = extStart + extSize;
      } else {
        cursor += MIB * r.nextInt(3);
        long size = MIB * (1 + r.nextInt(8));
        int type = TYPES[r.nextInt(TYPES.length)];
        lines.add(entry(image, slot, cursor, size, type, slot == bootSlot));
        want.add(new Want(slot, cursor, size, type, slot == bootSlot));
        cursor += size;
      }
    }
    // Logicals in a random order: sfdisk chains their EBRs in script order.
    List<Want> scriptOrder = new ArrayList<>(logicalsInDiskOrder);
    Collections.shuffle(scriptOrder, r);
    int number = 5;
    for (Want l : scriptOrder) {
      lines.add(entry(image, number, l.start(), l.size(), l.type(), false));
      want.add(new Want(number++, l.start(), l.size(), l.type(), false));
    }
    long imageBytes = (cursor + MIB * (1 + r.nextInt(16))) * 512;
    Tools.sparseFile(dir, image.getFileName().toString(), imageBytes);
    script.append(String.join("\n", lines)).append('\n');
    Tool.okWithInput(
        script.toString(), "sfdisk", "--no-reread", "--no-tell-kernel", "-q", image.toString());

    JsonNode pt = Tool.ok("sfdisk", "--json", image.toString()).json().path("partitiontable");
    List<Want> reported = reported(pt);
    want.sort((a, b) -> Integer.compare(a.number(), b.number()));
    assertThat(lines(reported))
        .as("sfdisk wrote what was asked:\n%s", script)
        .isEqualTo(lines(want));

    PartitionTable t = Tools.read(image);
    assertThat(t.scheme()).isEqualTo("dos");
    assertThat(t.sectorSize().bytes()).as(t.sectorSize().source()).isEqualTo(512);
    assertThat(t.diskId()).isEqualToIgnoringCase(pt.path("id").asText());
    for (Partition p : t.partitions()) {
      assertThat(p.kind())
          .isEqualTo(
              p.number() >= 5
                  ? PartitionKind.LOGICAL
                  : p.number() == extSlot ? PartitionKind.EXTENDED : PartitionKind.PRIMARY);
    }
    assertThat(lines(entries(t))).as("partview vs sfdisk --json").isEqualTo(lines(reported));
    assertThat(t.diagnostics()).as("diagnostics").isEmpty();
  }

  private static String entry(
      Path image, int number, long start, long size, int type, boolean boot) {
    return String.format(
        Locale.ROOT,
        "%s%d : start=%d, size=%d, type=%x%s",
        image,
        number,
        start,
        size,
        type,
        boot ? ", bootable" : "");
  }

  /** The partitions in {@code sfdisk --json}'s "partitiontable" object, numbered by their node. */
  static List<Want> reported(JsonNode partitionTable) {
    List<Want> reported = new ArrayList<>();
    for (JsonNode p : partitionTable.path("partitions")) {
      reported.add(
          new Want(
              Tools.nodeNumber(p.path("node").asText()),
              p.path("start").asLong(),
              p.path("size").asLong(),
              Integer.parseInt(p.path("type").asText(), 16),
              p.path("bootable").asBoolean(false)));
    }
    return reported;
  }

  /** The partitions of a DOS table as partview read them, in sectors of its sector size. */
  static List<Want> entries(PartitionTable t) {
    List<Want> read = new ArrayList<>();
    for (Partition p : t.partitions()) {
      int type = ((PartitionType.Mbr) p.type()).code();
      read.add(new Want(p.number(), p.firstLba(), p.sectors(), type, p.bootable()));
    }
    return read;
  }

  static List<String> lines(List<Want> ws) {
    return ws.stream().map(Want::line).toList();
  }
}
