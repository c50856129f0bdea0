package dev.partview.fuse;

import java.nio.charset.StandardCharsets;

/** File names made from partition labels, for {@code by-label/}. */
final class Names {
  private Names() {}

  /**
   * A label as a file name, escaped the way udev escapes {@code /dev/disk/by-partlabel} names:
   * {@code /} becomes {@code \x2f}, and so do the backslash itself ({@code \x5c}, so that the
   * escaping can be undone) and control characters. Spaces and non-ASCII letters stay as they are:
   * they are legal in file names. A name of {@code .} or {@code ..} gets its first dot escaped.
   * Names longer than 255 UTF-8 bytes are cut at a character boundary.
   *
   * @return the escaped name, or an empty string for an empty label (which gets no link)
   */
  static String escapeLabel(String label) {
    StringBuilder b = new StringBuilder(label.length());
    label
        .codePoints()
        .forEach(
            c -> {
              if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                b.append(String.format(java.util.Locale.ROOT, "\\x%02x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    String s = b.toString();
    if (s.equals(".") || s.equals("..")) s = "\\x2e" + s.substring(1);
    return truncateUtf8(s, 255);
  }

  /**
   * Text for a mount-time note on a terminal: control and format characters (a crafted GPT name's
   * newline, ESC, U+202E) become escapes, backslash-x and two hex digits or backslash-u and four.
   * Backslashes stay single, so that a by-label name quoted in a note reads as the file is named.
   */
  static String forTerminal(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
      } else if (Character.getType(c) == Character.FORMAT) {
        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static String truncateUtf8(String s, int maxBytes) {
    if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) return s;
    StringBuilder b = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      int n = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > maxBytes) break;
      b.appendCodePoint(c);
      bytes += n;
      i += Character.charCount(c);
    }
    return b.toString();
  }
}
