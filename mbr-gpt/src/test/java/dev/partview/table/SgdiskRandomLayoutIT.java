package dev.partview.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.Tool;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random GPT layouts written by {@code sgdisk} into sparse files: entries at random indexes
 * (gaps in numbering), gaps between partitions, random types, GUIDs, attribute bits and names in
 * several scripts (including a surrogate pair). The reader must agree with {@code sgdisk -i N} for
 * every entry, and keep agreeing after {@code sgdisk -h} makes the MBR hybrid and after the primary
 * header is zeroed (then from the backup).
 */
class SgdiskRandomLayoutIT {
  static final String[] CODES = {"8300", "EF00", "0700", "8200", "FD00", "8E00", "EF02"};
  static final String[] NAMES = {
    "root", "EFI system", "Ωmega", "раздел-данных", "データ", "swap ✓", "𝄞 clef", "", "a b c"
  };
  static final long[] ATTRIBUTE_BITS = {0, 2, 60, 63};

  /** One GPT entry as {@code sgdisk -i} reports it. */
  record Entry(
      int number, UUID type, UUID uuid, long first, long last, long attributes, String name) {
    String line() {
      return String.format(
          Locale.ROOT,
          "p%d type=%s uuid=%s lba=%d..%d attrs=%016x name='%s'",
          number,
          type,
          uuid,
          first,
          last,
          attributes,
          name);
    }
  }

  @TempDir Path dir;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13, 14, 15, 16})
  void sgdiskLayoutsReadTheSame(long seed) throws Exception {
    IntegrationEnvironment.requireTool("sgdisk");
    Random r = new Random(seed);
    Path image = Tools.sparseFile(dir, "gpt-" + seed + ".img", (32L + r.nextInt(96)) << 20);
    List<Integer> numbers = layout(r, image, 512);
    List<Entry> sgdisk = report(image, numbers);

    PartitionTable t = Tools.read(image);
    assertThat(t.scheme()).isEqualTo("gpt");
    assertThat(t.sectorSize().bytes()).isEqualTo(512);
    assertThat(t.diskId()).isEqualToIgnoringCase(diskGuid(image));
    assertThat(lines(entries(t))).as("partview vs sgdisk -i").isEqualTo(lines(sgdisk));
    assertThat(t.diagnostics()).isEmpty();

    // sgdisk -h: hybrid MBR mirroring up to three GPT partitions; the GPT still wins.
    String hybrid =
        numbers.subList(0, Math.min(2, numbers.size())).stream()
            .map(String::valueOf)
            .reduce((a, b) -> a + ":" + b)
            .orElseThrow();
    Tool.ok("sgdisk", "-h", hybrid, image.toString());
    GptTable h = (GptTable) Tools.read(image);
    assertThat(h.hybridMbr()).isTrue();
    assertThat(lines(entries(h))).as("after sgdisk -h %s", hybrid).isEqualTo(lines(sgdisk));
    assertThat(h.diagnostics()).anySatisfy(d -> assertThat(d.message()).startsWith("hybrid MBR"));

    // Zeroed primary header: the backup at the last LBA takes over.
    try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
      raf.seek(512);
      raf.write(new byte[512]);
    }
    GptTable b = (GptTable) Tools.read(image);
    assertThat(b.fromBackup()).isTrue();
    assertThat(lines(entries(b))).as("from the backup").isEqualTo(lines(sgdisk));
    assertThat(b.diagnostics())
        .anySatisfy(d -> assertThat(d.message()).contains("using the backup header"));
  }

  /** Writes a random layout with sgdisk; returns the entry numbers used, ascending. */
  static List<Integer> layout(Random r, Path target, int sectorSize) throws Exception {
    long mib = (1 << 20) / sectorSize;
    List<String> args = new ArrayList<>(List.of("sgdisk", "-o"));
    args.add("-U");
    args.add(new UUID(r.nextLong(), r.nextLong()).toString());
    TreeSet<Integer> numbers = new TreeSet<>();
    int count = 1 + r.nextInt(8);
    while (numbers.size() < count) numbers.add(1 + r.nextInt(r.nextBoolean() ? 8 : 128));
    long cursor = mib * (1 + r.nextInt(2));
    for (int n : numbers) {
      long size = mib * (1 + r.nextInt(3)) + (r.nextBoolean() ? 0 : r.nextInt((int) mib));
      args.addAll(List.of("-n", n + ":" + cursor + ":" + (cursor + size - 1)));
      args.addAll(List.of("-t", n + ":" + CODES[r.nextInt(CODES.length)]));
      args.addAll(List.of("-u", n + ":" + new UUID(r.nextLong(), r.nextLong())));
      String name = NAMES[r.nextInt(NAMES.length)];
      if (!name.isEmpty()) args.addAll(List.of("-c", n + ":" + name));
      long bit = ATTRIBUTE_BITS[r.nextInt(ATTRIBUTE_BITS.length)];
      if (bit != 0) args.addAll(List.of("-A", n + ":set:" + bit));
      cursor += size + mib * r.nextInt(3);
    }
    args.add(target.toString());
    Tool.ok(args.toArray(new String[0]));
    return new ArrayList<>(numbers);
  }

  private static final Pattern GUID_CODE = Pattern.compile("Partition GUID code: (\\S+)");
  private static final Pattern UNIQUE = Pattern.compile("Partition unique GUID: (\\S+)");
  private static final Pattern FIRST = Pattern.compile("First sector: (\\d+)");
  private static final Pattern LAST = Pattern.compile("Last sector: (\\d+)");
  private static final Pattern ATTRS = Pattern.compile("Attribute flags: ([0-9A-Fa-f]+)");
  private static final Pattern NAME = Pattern.compile("Partition name: '(.*)'");

  /**
   * What {@code sgdisk -i N} says about each entry; the name as {@code sfdisk --json} says it,
   * since sgdisk 1.0.9 prints names outside the Basic Multilingual Plane as invalid UTF-8 (it
   * writes them correctly).
   */
  static List<Entry> report(Path target, List<Integer> numbers) throws Exception {
    java.util.Map<Integer, String> names = new java.util.HashMap<>();
    for (com.fasterxml.jackson.databind.JsonNode p :
        Tool.ok("sfdisk", "--json", target.toString())
            .json()
            .path("partitiontable")
            .path("partitions")) {
      names.put(Tools.nodeNumber(p.path("node").asText()), p.path("name").asText(""));
    }
    List<Entry> out = new ArrayList<>();
    for (int n : numbers) {
      String text = Tool.ok("sgdisk", "-i", String.valueOf(n), target.toString()).out();
      out.add(
          new Entry(
              n,
              UUID.fromString(find(GUID_CODE, text)),
              UUID.fromString(find(UNIQUE, text)),
              Long.parseLong(find(FIRST, text)),
              Long.parseLong(find(LAST, text)),
              Long.parseUnsignedLong(find(ATTRS, text), 16),
              names.get(n)));
      String shown = find(NAME, text);
      if (names.get(n).codePoints().allMatch(Character::isBmpCodePoint)) {
        assertThat(shown).as("sgdisk -i %d name", n).isEqualTo(names.get(n));
      }
    }
    return out;
  }

  static String diskGuid(Path target) throws Exception {
    return find(
        Pattern.compile("Disk identifier \\(GUID\\): (\\S+)"),
        Tool.ok("sgdisk", "-p", target.toString()).out());
  }

  static List<Entry> entries(PartitionTable t) {
    return t.partitions().stream()
        .map(
            p ->
                new Entry(
                    p.number(),
                    ((PartitionType.Gpt) p.type()).guid(),
                    p.uuid(),
                    p.firstLba(),
                    p.firstLba() + p.sectors() - 1,
                    p.attributes(),
                    p.label()))
        .toList();
  }

  static List<String> lines(List<Entry> es) {
    return es.stream().map(Entry::line).toList();
  }

  private static String find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as("%s in:\n%s", p, text).isTrue();
    return m.group(1);
  }
}
