package dev.partview.cli;

import static dev.partview.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Every subcommand registered on the root, whoever adds it, answers {@code --help}; the root's help
 * lists them all. Nothing here names a subcommand, so new ones are covered as they land.
 */
class HelpTest {
  static Map<String, CommandLine> subcommands() {
    return Cli.newCommandLine(
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
        .getSubcommands();
  }

  @TestFactory
  Stream<DynamicTest> everySubcommandHasHelp() {
    assertThat(subcommands()).isNotEmpty();
    return subcommands().keySet().stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name + " --help",
                    () -> {
                      CliRun r = run(name, "--help");
                      assertThat(r.code()).as(r.err()).isZero();
                      assertThat(r.err()).isEmpty();
                      assertThat(r.out()).contains("Usage: partview " + name);
                    }));
  }

  @Test
  void rootHelpListsEveryVisibleSubcommand() {
    CliRun r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("Usage: partview").contains("Commands:", "Exit codes:");
    List<String> visible =
        subcommands().entrySet().stream()
            .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
            .map(Map.Entry::getKey)
            .toList();
    String commands = r.out().substring(r.out().indexOf("Commands:"));
    for (String name : visible) {
      assertThat(commands)
          .as("root --help lists " + name)
          .containsPattern("(?m)^  " + name + "\\b");
    }
  }

  @Test
  void helpSubcommandShowsTheSameUsageAsDashDashHelp() {
    for (String name : subcommands().keySet()) {
      assertThat(run("help", name).out()).isEqualTo(run(name, "--help").out());
    }
  }
}
