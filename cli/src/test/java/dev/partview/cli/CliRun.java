package dev.partview.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * One command run in this JVM through {@link Cli#newCommandLine}, as {@code Main} runs it, with its
 * exit code and what it printed.
 */
record CliRun(int code, String out, String err) {

  static CliRun run(String... args) {
    return run(cl -> {}, args);
  }

  /**
   * @param setUp changes the command line before it runs: a test-only subcommand, a stdout of the
   *     test's own
   */
  static CliRun run(Consumer<CommandLine> setUp, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Cli.newCommandLine(new PrintWriter(out), new PrintWriter(err));
    setUp.accept(cl);
    int code = cl.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  List<String> lines() {
    return out.lines().toList();
  }
}
