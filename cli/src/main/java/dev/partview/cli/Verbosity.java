package dev.partview.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Whether {@code --verbose} was given anywhere on the command line (it is inherited). */
final class Verbosity {
  private Verbosity() {}

  static boolean of(CommandSpec spec) {
    for (CommandLine c = spec.commandLine(); c != null; c = c.getParent()) {
      CommandLine.ParseResult r = c.getParseResult();
      if (r != null && r.hasMatchedOption("--verbose")) return true;
    }
    return false;
  }
}
