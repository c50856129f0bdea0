package dev.partview.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * README.md as tests see it: its fenced blocks, the shell sessions in its {@code console} blocks,
 * and the matching of a session's shown output against what the command really printed.
 *
 * <p>The README's conventions, which {@code ReadmeTest} enforces: every fenced block has an info
 * string; {@code console} blocks are sessions ({@code $ command} lines, each followed by exactly
 * the stdout it prints); a line that is only {@code …} stands for any number of lines, and {@code
 * …} inside a line for any text; {@code sh} blocks are commands without output; {@code text} and
 * {@code fstab} blocks are not run as they stand.
 */
final class Readme {
  private Readme() {}

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path FILE = REPO.resolve("README.md");

  static final String ELLIPSIS = "…";

  /**
   * A fenced block: the "## " or "### " heading above it, its info string, the line of its fence.
   */
  record Block(String section, String info, int line, List<String> lines) {
    String where() {
      return where(line);
    }

    String where(int at) {
      String under = section.isEmpty() ? "the introduction" : "\"" + section + "\"";
      return "README.md line " + at + " (```" + info + " block under " + under + ")";
    }
  }

  /** One {@code $ command} of a console block (at README line {@code line}) and its output. */
  record Step(Block block, int line, String command, List<String> expected) {
    String where() {
      return block.where(line);
    }

    /** The command without its trailing {@code # comment}, as far as a simple scan can tell. */
    String bare() {
      return stripComment(command);
    }

    String comment() {
      String bare = bare();
      return command.substring(bare.length()).replaceFirst("^\\s*#\\s*", "").strip();
    }
  }

  static String text() throws IOException {
    return Files.readString(FILE);
  }

  static List<Block> blocks(String markdown) {
    List<Block> out = new ArrayList<>();
    String section = "";
    String info = null;
    int start = 0;
    List<String> lines = null;
    String[] all = markdown.split("\n", -1);
    for (int i = 0; i < all.length; i++) {
      String l = all[i];
      if (lines == null) {
        if (l.startsWith("## ") || l.startsWith("### ")) {
          section = l.replaceFirst("^#+ ", "");
        } else if (l.startsWith("```")) {
          info = l.substring(3).strip();
          start = i + 1;
          lines = new ArrayList<>();
        }
      } else if (l.equals("```")) {
        out.add(new Block(section, info, start, List.copyOf(lines)));
        lines = null;
      } else {
        lines.add(l);
      }
    }
    if (lines != null) throw new IllegalStateException("README.md: unclosed ``` at line " + start);
    return out;
  }

  /** The {@code $ command} steps of a console block. */
  static List<Step> steps(Block b) {
    List<Step> out = new ArrayList<>();
    String command = null;
    int at = 0;
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < b.lines().size(); i++) {
      String l = b.lines().get(i);
      if (l.startsWith("$ ")) {
        if (command != null) out.add(new Step(b, at, command, List.copyOf(expected)));
        command = l.substring(2);
        at = b.line() + 1 + i;
        expected.clear();
      } else if (command == null) {
        throw new IllegalStateException(b.where() + ": output before the first $ command: " + l);
      } else {
        expected.add(l);
      }
    }
    if (command != null) out.add(new Step(b, at, command, List.copyOf(expected)));
    return out;
  }

  /** Inline code spans outside fenced blocks: {@code `like this`}. */
  static List<String> inlineCode(String markdown) {
    List<String> out = new ArrayList<>();
    boolean fenced = false;
    Pattern span = Pattern.compile("`([^`]+)`");
    for (String l : markdown.split("\n")) {
      if (l.startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) continue;
      Matcher m = span.matcher(l);
      while (m.find()) out.add(m.group(1));
    }
    return out;
  }

  /** Cuts a trailing {@code # comment}: a {@code #} after blank space and outside quotes. */
  static String stripComment(String command) {
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && i > 0 && Character.isWhitespace(command.charAt(i - 1))) {
        return command.substring(0, i).stripTrailing();
      }
    }
    return command.stripTrailing();
  }

  /**
   * The absolute paths of the README's examples ({@code /mnt}, {@code /srv/images/disk.img}, {@code
   * /usr/local/bin}, …) moved under {@code root}, so that the examples change nothing outside it.
   */
  static String underRoot(String text, Path root) {
    return ABSOLUTE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(root + m.group(1)));
  }

  private static final Pattern ABSOLUTE =
      Pattern.compile("(?<![\\w.~/$-])(/(?:mnt|srv|usr/local|sbin|etc))(?=[/\\s'\")]|$)");

  /**
   * Whether a step runs as an unprivileged user: {@code list}, {@code offset} and {@code extract},
   * which need no root (README "What needs root"), and steps whose comment says {@code as a user}.
   */
  static boolean asUser(Step s) {
    return s.comment().equals("as a user")
        || s.bare().matches("partview (list|offset|extract)( .*)?");
  }

  private static final Pattern LOOP = Pattern.compile("/dev/loop(\\d+)");

  /**
   * Matches a step's shown output against the real stdout. Loop device numbers in the README are
   * names, not numbers: {@code /dev/loop3} stands for whichever device the kernel gave. {@code
   * fixed} holds the README numbers whose device must be the same as before (it was attached when
   * the command started); any other README number binds to what the output shows.
   *
   * @return the bindings the output made (README number to real number), or empty on a mismatch
   */
  static Optional<Map<String, String>> match(
      List<String> expected, List<String> actual, Map<String, String> fixed) {
    return match(trimEnd(expected), trimEnd(actual), 0, 0, new HashMap<>(fixed));
  }

  private static Optional<Map<String, String>> match(
      List<String> exp, List<String> act, int e, int a, Map<String, String> bound) {
    if (e == exp.size()) return a == act.size() ? Optional.of(bound) : Optional.empty();
    if (exp.get(e).strip().equals(ELLIPSIS)) {
      for (int skip = a; skip <= act.size(); skip++) {
        Optional<Map<String, String>> r = match(exp, act, e + 1, skip, new HashMap<>(bound));
        if (r.isPresent()) return r;
      }
      return Optional.empty();
    }
    if (a == act.size()) return Optional.empty();
    Map<String, String> next = new HashMap<>(bound);
    if (!matchLine(exp.get(e), act.get(a), next)) return Optional.empty();
    return match(exp, act, e + 1, a + 1, next);
  }

  /** One line: {@code …} matches any text, a loop number binds or must equal its binding. */
  static boolean matchLine(String line, String actual, Map<String, String> bound) {
    String expected = line.stripTrailing();
    StringBuilder re = new StringBuilder();
    List<String> captured = new ArrayList<>();
    Matcher m = LOOP.matcher(expected);
    int last = 0;
    while (m.find()) {
      re.append(literal(expected.substring(last, m.start()))).append("/dev/loop");
      String n = m.group(1);
      if (bound.containsKey(n)) {
        re.append(Pattern.quote(bound.get(n)));
      } else if (captured.contains(n)) {
        re.append("\\k<l").append(n).append('>');
      } else {
        re.append("(?<l").append(n).append(">\\d+)");
        captured.add(n);
      }
      last = m.end();
    }
    re.append(literal(expected.substring(last)));
    Matcher am = Pattern.compile(re.toString()).matcher(actual.stripTrailing());
    if (!am.matches()) return false;
    for (String n : captured) bound.put(n, am.group("l" + n));
    return true;
  }

  private static String literal(String s) {
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (int i = s.indexOf(ELLIPSIS); i >= 0; i = s.indexOf(ELLIPSIS, from)) {
      out.append(Pattern.quote(s.substring(from, i))).append(".*");
      from = i + ELLIPSIS.length();
    }
    String rest = s.substring(from);
    return out.append(rest.isEmpty() ? "" : Pattern.quote(rest)).toString();
  }

  private static List<String> trimEnd(List<String> lines) {
    int n = lines.size();
    while (n > 0 && lines.get(n - 1).isBlank()) n--;
    return lines.subList(0, n);
  }
}
