package dev.partview.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** Whether {@code --verbose} was given anywhere on the command line (it is inherited). */
final class Verbosity {
  private Verbosity() {}

  /** From inside a command: the whole command line's parse result. */
  static boolean of(CommandSpec spec) {
    return of(spec.root().commandLine().getParseResult());
  }

  /** The root command's parse result and each subcommand's below it. */
  static boolean of(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) return true;
    }
    return false;
  }
}
