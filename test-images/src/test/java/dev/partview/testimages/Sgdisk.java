package dev.partview.testimages;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads GPT fdisk's text output: {@code sgdisk -p}, {@code -i N}, {@code -v}. */
final class Sgdisk {
  private Sgdisk() {}

  /** One partition as {@code sgdisk -i N} prints it, in the builder's vocabulary. */
  static String info(Path image, int number) throws Exception {
    String out = Tool.ok("sgdisk", "-i", Integer.toString(number), image.toString()).out();
    return String.format(
        Locale.ROOT,
        "p%d first=%s last=%s type=%s uuid=%s attrs=%s name=%s",
        number,
        field(out, "First sector: (\\d+)"),
        field(out, "Last sector: (\\d+)"),
        field(out, "Partition GUID code: (\\S+)").toLowerCase(Locale.ROOT),
        field(out, "Partition unique GUID: (\\S+)").toLowerCase(Locale.ROOT),
        Long.parseUnsignedLong(field(out, "Attribute flags: ([0-9A-Fa-f]+)"), 16),
        field(out, "Partition name: '(.*)'"));
  }

  static String expected(ExpectedPartition p) {
    return String.format(
        Locale.ROOT,
        "p%d first=%d last=%d type=%s uuid=%s attrs=%d name=%s",
        p.number(),
        p.firstLba(),
        p.firstLba() + p.sectors() - 1,
        p.type(),
        p.uuid(),
        p.attributes(),
        p.label());
  }

  static String field(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) throw new AssertionError("no /" + regex + "/ in:\n" + text);
    return m.group(1);
  }
}
