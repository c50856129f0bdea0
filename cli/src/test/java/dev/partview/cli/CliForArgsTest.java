package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@link Cli#forArgs}, what {@code Main} runs: the root with only the subcommand named, which must
 * behave exactly as the same subcommand in the whole tree.
 */
class CliForArgsTest {
  private static CommandLine forArgs(String... args) {
    return Cli.forArgs(args, sink(), sink());
  }

  private static PrintWriter sink() {
    return new PrintWriter(new StringWriter());
  }

  private static Map<String, CommandLine> wholeTree() {
    return HelpTest.subcommands();
  }

  @Test
  void everySubcommandButHelpIsBuiltAloneUnderTheRoot() {
    for (Map.Entry<String, CommandLine> e : wholeTree().entrySet()) {
      String name = e.getKey();
      CommandLine cl = forArgs(name, "--help");
      if (name.equals("help")) {
        assertThat(cl.getSubcommands())
            .as("help needs its siblings")
            .containsKeys("list", "extract");
        continue;
      }
      assertThat(cl.getSubcommands()).as(name).containsOnlyKeys(name);
      assertThat(cl.getSubcommands().get(name).getCommandSpec().userObject())
          .as(name)
          .isExactlyInstanceOf(e.getValue().getCommandSpec().userObject().getClass());
    }
  }

  @Test
  void aSubcommandAloneHasTheSameHelpAsInTheWholeTree() {
    for (String name : wholeTree().keySet()) {
      CommandLine alone = forArgs(name).getSubcommands().get(name);
      assertThat(alone.getUsageMessage(CommandLine.Help.Ansi.OFF))
          .as(name)
          .isEqualTo(wholeTree().get(name).getUsageMessage(CommandLine.Help.Ansi.OFF));
    }
  }

  @Test
  void theSubcommandIsTheFirstWordThatIsNotAnOption() {
    assertThat(Cli.subcommandNamedBy(new String[] {"-v", "extract", "list"}))
        .isEqualTo(ExtractCommand.class);
    assertThat(Cli.subcommandNamedBy(new String[] {"--verbose", "list"}))
        .isEqualTo(ListCommand.class);
    assertThat(Cli.subcommandNamedBy(new String[] {"--help"})).isNull();
    assertThat(Cli.subcommandNamedBy(new String[] {"lsit", "x.img"})).isNull();
  }

  @Test
  void aRootOptionOtherThanVerboseBeforeTheSubcommandGetsTheWholeTree() {
    // partview --help list prints the root's help, which lists every subcommand.
    for (String option : new String[] {"--help", "-h", "-V", "-vh"}) {
      assertThat(forArgs(option, "list").getSubcommands())
          .as(option)
          .containsKeys("list", "extract");
    }
  }

  @Test
  void theVersionAloneIsAnsweredByTheRootAloneWithTheSameText() {
    for (String option : new String[] {"-V", "--version"}) {
      StringWriter alone = new StringWriter();
      CommandLine cl = Cli.forArgs(new String[] {option}, new PrintWriter(alone), sink());
      assertThat(cl.getSubcommands()).as(option).isEmpty();
      assertThat(cl.execute(option)).isZero();
      StringWriter tree = new StringWriter();
      Cli.newCommandLine(new PrintWriter(tree), sink()).execute(option);
      assertThat(alone.toString()).as(option).isNotBlank().isEqualTo(tree.toString());
    }
    assertThat(Cli.onlyVersion(new String[] {"--version", "list"})).isFalse();
    assertThat(Cli.onlyVersion(new String[] {})).isFalse();
  }

  /** Every subcommand's help offers -V/--version: it prints the root's version, built alone too. */
  @Test
  void everySubcommandsVersionOptionPrintsTheVersion() {
    StringWriter root = new StringWriter();
    Cli.newCommandLine(new PrintWriter(root), sink()).execute("--version");
    for (String name : Cli.BY_NAME.keySet()) {
      for (String option : new String[] {"-V", "--version"}) {
        StringWriter out = new StringWriter();
        assertThat(
                Cli.forArgs(new String[] {name, option}, new PrintWriter(out), sink())
                    .execute(name, option))
            .isZero();
        assertThat(out.toString()).as(name + " " + option).isNotBlank().isEqualTo(root.toString());
      }
    }
  }

  @Test
  void anUnknownWordGetsTheWholeTreeForItsSuggestions() {
    assertThat(forArgs("lsit").getSubcommands()).containsKeys("list", "extract", "help");
  }

  @Test
  void theInheritedVerboseOptionReachesASubcommandBuiltAlone() {
    CommandLine cl = forArgs("list", "-v", "x.img");
    cl.parseArgs("list", "-v", "x.img");
    assertThat(Verbosity.of(cl.getParseResult())).isTrue();
  }

  @Test
  void noOptionNeedsAConverterMainLeavesOut() {
    Pattern unused = Pattern.compile(Cli.UNUSED_CONVERTERS);
    List<String> offenders = new ArrayList<>();
    collect(
        Cli.newCommandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
            .getCommandSpec(),
        unused,
        offenders);
    assertThat(offenders).isEmpty();
  }

  private static void collect(CommandSpec spec, Pattern unused, List<String> offenders) {
    for (ArgSpec arg : spec.args()) {
      List<Class<?>> types = new ArrayList<>(List.of(arg.auxiliaryTypes()));
      types.add(arg.type());
      for (Class<?> t : types) {
        if (unused.matcher(t.getName()).matches()) offenders.add(spec.qualifiedName() + " " + arg);
      }
    }
    for (CommandLine sub : spec.subcommands().values())
      collect(sub.getCommandSpec(), unused, offenders);
  }
}
