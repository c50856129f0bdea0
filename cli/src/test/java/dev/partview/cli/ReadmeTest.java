package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.cli.Readme.Block;
import dev.partview.cli.Readme.Step;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of README.md without running it: every block is one that {@code ReadmeIT}
 * runs or checks, the quick start is what CI runs, the commands quoted in the prose are ones the
 * examples run, and the exit-code table agrees with {@link ExitCodes} and with the examples. Also
 * the transcript matching that {@code ReadmeIT} relies on.
 */
class ReadmeTest {
  static List<Block> blocks() throws Exception {
    return Readme.blocks(Readme.text());
  }

  static List<Step> steps() throws Exception {
    return blocks().stream()
        .filter(b -> b.info().equals("console"))
        .flatMap(b -> Readme.steps(b).stream())
        .toList();
  }

  /** Install lines: run by ReadmeIT under a stand-in root. */
  static boolean isInstall(Block b) {
    return b.info().equals("sh")
        && b.lines().stream().allMatch(l -> l.startsWith("ln -s ") || l.startsWith("install "));
  }

  @Test
  void everyBlockIsRunOrChecked() throws Exception {
    List<String> ci = Files.readAllLines(Readme.REPO.resolve(".ci/run"));
    for (Block b : blocks()) {
      switch (b.info()) {
        case "console" -> assertThat(Readme.steps(b)).as(b.where()).isNotEmpty();
        case "sh" -> {
          if (!isInstall(b)) {
            // The quick start: .ci/run runs these very lines.
            assertThat(ci).as(b.where() + " lines are lines of .ci/run").containsAll(b.lines());
          }
        }
        case "fstab" -> {
          assertThat(b.lines()).as(b.where()).hasSize(1);
          assertThat(b.lines().get(0).split("\\s+"))
              .as(b.where())
              .hasSize(6)
              .contains("fuse.partview");
        }
        case "text" ->
            assertThat(b.lines().get(0))
                .as(b.where() + ": a layout tree or the module tree")
                .matches("MOUNTPOINT/ .*|cli/ .*");
        default -> throw new AssertionError(b.where() + ": no test runs or checks this block");
      }
    }
    assertThat(blocks().stream().filter(ReadmeTest::isInstall)).hasSize(1);
  }

  @Test
  void quickStartIsTheTwoCommands() throws Exception {
    Block quick =
        blocks().stream().filter(b -> b.section().equals("Quick start")).findFirst().orElseThrow();
    assertThat(quick.lines()).containsExactly("bin/quickstart", "./mvnw -B verify");
    assertThat(Readme.REPO.resolve("bin/quickstart")).isExecutable();
  }

  /** A command quoted in the prose or the tables is one that an example runs. */
  @Test
  void quotedCommandsAreRunByTheExamples() throws Exception {
    List<String> ran = steps().stream().map(Step::bare).toList();
    Pattern placeholder = Pattern.compile("\\b[A-Z]{3,}\\b");
    int checked = 0;
    for (String code : Readme.inlineCode(Readme.text())) {
      if (!code.startsWith("partview ") || placeholder.matcher(code).find()) continue;
      assertThat(ran)
          .as("`" + code + "` in README.md is run by an example")
          .anyMatch(c -> c.contains(code));
      checked++;
    }
    assertThat(checked).isGreaterThan(8);
  }

  /** The layout tree names things the mount examples show. */
  @Test
  void layoutTreeIsExercised() throws Exception {
    String ran = String.join("\n", steps().stream().map(Step::bare).toList());
    Block tree =
        blocks().stream()
            .filter(b -> b.info().equals("text") && b.lines().get(0).startsWith("MOUNTPOINT/"))
            .findFirst()
            .orElseThrow();
    String text = String.join("\n", tree.lines());
    for (String name : List.of("offset/32256", "offset/63s:100M", "by-label/", "by-partuuid")) {
      assertThat(text).contains(name);
      assertThat(ran).contains(name);
    }
    assertThat(text).contains("--view NAME=OFFSET[:LENGTH]");
    assertThat(ran).contains("--view ");
  }

  @Test
  void exitCodeTableMatchesExitCodesAndTheExamples() throws Exception {
    String md = Readme.text();
    String section = md.substring(md.indexOf("## Exit codes"), md.indexOf("## What needs root"));
    Set<Integer> table = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| (\\d+) \\|").matcher(section);
    while (row.find()) table.add(Integer.parseInt(row.group(1)));

    Set<Integer> constants = new TreeSet<>();
    for (Field f : ExitCodes.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
        constants.add(f.getInt(null));
      }
    }
    Set<Integer> shown = new TreeSet<>();
    for (Step s : steps()) {
      if (!s.block().section().equals("Exit codes")) continue;
      for (String l : s.expected()) {
        if (l.matches("exit \\d+")) shown.add(Integer.parseInt(l.substring(5)));
      }
    }
    assertThat(table).isEqualTo(constants).isEqualTo(Set.of(0, 1, 2, 3, 4, 141));
    assertThat(shown).as("one example per exit code").isEqualTo(table);
  }

  @Test
  void moduleTreeExists() throws Exception {
    Block tree =
        blocks().stream()
            .filter(b -> b.info().equals("text") && b.lines().get(0).startsWith("cli/"))
            .findFirst()
            .orElseThrow();
    for (String l : tree.lines()) {
      if (l.startsWith(" ")) continue;
      Path dir = Readme.REPO.resolve(l.split("\\s+")[0]);
      assertThat(dir).as(l).isDirectory();
    }
  }

  /** The Maven lines of "Development" name modules, test classes and profiles that exist. */
  @Test
  void developmentCommandsNameWhatExists() throws Exception {
    int checked = 0;
    for (String code : Readme.inlineCode(Readme.text())) {
      if (!code.contains("./mvnw ")) continue;
      checked++;
      Matcher pl = Pattern.compile(" -pl (\\S+)").matcher(code);
      Path module = Readme.REPO.resolve(pl.find() ? pl.group(1) : ".");
      assertThat(module.resolve("pom.xml")).as(code).isRegularFile();
      Matcher test = Pattern.compile(" -Dtest=(\\w+)").matcher(code);
      if (test.find()) {
        try (var files = Files.walk(module.resolve("src/test/java"))) {
          String file = test.group(1) + ".java";
          assertThat(files.map(f -> f.getFileName().toString())).as(code).contains(file);
        }
        if (code.contains(" -am ")) {
          // The other modules of -am have no such test, which fails the build unless told not to.
          assertThat(code).contains("-Dsurefire.failIfNoSpecifiedTests=false");
        }
      }
      Matcher profile = Pattern.compile(" -P(\\w+)").matcher(code);
      if (profile.find()) {
        assertThat(Files.readString(module.resolve("pom.xml")))
            .as(code)
            .contains("<id>" + profile.group(1) + "</id>");
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(4);
  }

  // --- the transcript matching ---------------------------------------------------------------

  @Test
  void outputMatchesLineByLineWithEllipses() {
    assertThat(Readme.match(List.of("a", "b  "), List.of("a", "b", ""), Map.of())).isPresent();
    assertThat(Readme.match(List.of("a", "b"), List.of("a", "c"), Map.of())).isEmpty();
    assertThat(Readme.match(List.of("a"), List.of("a", "b"), Map.of())).isEmpty();
    assertThat(Readme.match(List.of("{", "…", "}"), List.of("{", "1", "2", "}"), Map.of()))
        .isPresent();
    assertThat(Readme.match(List.of("{", "  …", "}"), List.of("{", "}"), Map.of())).isPresent();
    assertThat(Readme.match(List.of("libblkid …"), List.of("libblkid 2.38.1"), Map.of()))
        .isPresent();
    assertThat(Readme.match(List.of("x (p5, …) y"), List.of("x (p5, …) y"), Map.of())).isPresent();
    assertThat(Readme.match(List.of("a.b*"), List.of("axb*"), Map.of())).isEmpty();
  }

  @Test
  void loopNumbersBindOrMustStayTheSame() {
    List<String> shown = List.of("p1 /dev/loop3", "p5 /dev/loop4", "p1 again /dev/loop3p1");
    assertThat(
            Readme.match(
                shown,
                List.of("p1 /dev/loop0", "p5 /dev/loop7", "p1 again /dev/loop0p1"),
                Map.of()))
        .contains(Map.of("3", "0", "4", "7"));
    // The same README device must be the same real one within an output.
    assertThat(
            Readme.match(
                shown,
                List.of("p1 /dev/loop0", "p5 /dev/loop7", "p1 again /dev/loop1p1"),
                Map.of()))
        .isEmpty();
    // A device that was attached before the command keeps its number.
    assertThat(
            Readme.match(
                List.of("/dev/loop3 detached"), List.of("/dev/loop2 detached"), Map.of("3", "0")))
        .isEmpty();
    assertThat(
            Readme.match(
                List.of("/dev/loop3 detached"), List.of("/dev/loop0 detached"), Map.of("3", "0")))
        .contains(Map.of("3", "0"));
  }

  @Test
  void stepsCommentsAndUsers() {
    Block b =
        new Block(
            "s",
            "console",
            1,
            List.of(
                "$ partview list disk.img   # the table",
                "NAME",
                "$ partview attach disk.img 2>&1; echo \"exit $?\"   # as a user",
                "$ debugfs -R 'cat /a#b' mnt/p1",
                "$ partview mount disk.img mnt"));
    List<Step> s = Readme.steps(b);
    assertThat(s).hasSize(4);
    assertThat(s.get(0).bare()).isEqualTo("partview list disk.img");
    assertThat(s.get(0).expected()).containsExactly("NAME");
    assertThat(s.get(2).line()).isEqualTo(5);
    assertThat(s.get(2).bare()).isEqualTo("debugfs -R 'cat /a#b' mnt/p1");
    assertThat(s.stream().map(Readme::asUser)).containsExactly(true, true, false, false);
  }

  @Test
  void absolutePathsMoveUnderTheStandInRoot() {
    Path r = Path.of("/tmp/x/root");
    assertThat(Readme.underRoot("mount -o loop disk.img /mnt", r))
        .isEqualTo("mount -o loop disk.img /tmp/x/root/mnt");
    assertThat(Readme.underRoot("ln -s \"$PWD/bin/partview\" /usr/local/bin/partview", r))
        .isEqualTo("ln -s \"$PWD/bin/partview\" /tmp/x/root/usr/local/bin/partview");
    assertThat(Readme.underRoot("/srv/images/disk.img  /mnt/disk  fuse.partview", r))
        .isEqualTo("/tmp/x/root/srv/images/disk.img  /tmp/x/root/mnt/disk  fuse.partview");
    assertThat(Readme.underRoot("cat /mnt/hello.txt /dev/loop3 /etc/bash_completion.d/x", r))
        .isEqualTo("cat /tmp/x/root/mnt/hello.txt /dev/loop3 /tmp/x/root/etc/bash_completion.d/x");
    assertThat(Readme.underRoot("mnt/p1 /mntx a/mnt", r)).isEqualTo("mnt/p1 /mntx a/mnt");
  }
}
