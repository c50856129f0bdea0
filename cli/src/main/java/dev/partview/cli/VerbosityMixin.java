package dev.partview.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code --verbose}: stack traces on errors, more detail. Inherited by every subcommand. */
public final class VerbosityMixin {
  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Print stack traces and more detail.")
  boolean verbose; // read through the parse result (Verbosity): subcommands inherit the option
}
