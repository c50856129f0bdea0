package dev.partview.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.WCWidth;

/**
 * A plain-text table: a header row, columns padded to their widest cell, numbers right-aligned, two
 * spaces between columns, no trailing blanks. Widths are terminal columns, so that GPT names and
 * labels in CJK (two columns a character) or with combining accents (none) keep the columns
 * straight.
 */
final class TextTable {
  private final List<String> headers = new ArrayList<>();
  private final List<Boolean> rightAligned = new ArrayList<>();
  private final List<List<String>> rows = new ArrayList<>();

  TextTable column(String header, boolean right) {
    headers.add(header);
    rightAligned.add(right);
    return this;
  }

  void row(List<String> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException(
          cells.size() + " cells for " + headers.size() + " columns");
    }
    rows.add(cells.stream().map(TextTable::printable).toList());
  }

  /**
   * Text from an image (GPT names, filesystem labels, file names) as a terminal may show it:
   * control and format characters become escapes ({@code \n}, {@code \t}, {@code \x1b}, {@code
   * \u202e}), so that a crafted name can neither forge lines of the table nor send escape
   * sequences; a backslash is doubled so that the escapes stay unambiguous. JSON output escapes on
   * its own.
   */
  static String printable(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String esc =
          switch (c) {
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            default ->
                Character.isISOControl(c)
                    ? String.format("\\x%02x", (int) c)
                    : Character.getType(c) == Character.FORMAT
                        ? String.format("\\u%04x", (int) c)
                        : null;
          };
      if (esc == null && b == null) continue;
      if (b == null) b = new StringBuilder(s.substring(0, i));
      if (esc == null) b.append(c);
      else b.append(esc);
    }
    return b == null ? s : b.toString();
  }

  /**
   * The terminal columns {@code s} takes, by Unicode's East Asian Width as wcwidth(3) counts them
   * (jline's table, which the progress bar brings). Cells are {@link #printable}: no control
   * characters, whose width would be -1.
   */
  static int columns(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      n += Math.max(0, WCWidth.wcwidth(cp));
      i += Character.charCount(cp);
    }
    return n;
  }

  void print(PrintWriter out) {
    int n = headers.size();
    int[] width = new int[n];
    for (int c = 0; c < n; c++) {
      width[c] = columns(headers.get(c));
      for (List<String> r : rows) width[c] = Math.max(width[c], columns(r.get(c)));
    }
    line(out, headers, width);
    for (List<String> r : rows) line(out, r, width);
  }

  private void line(PrintWriter out, List<String> cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String s = cells.get(c);
      int pad = width[c] - columns(s);
      if (c > 0) b.append("  ");
      if (rightAligned.get(c)) b.append(" ".repeat(pad)).append(s);
      else b.append(s).append(" ".repeat(pad));
    }
    out.println(b.toString().stripTrailing());
  }
}
