package dev.partview.cli;

import dev.partview.table.PartitionTableException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Builds the command line. {@link Main} and the tests use the same factory. */
public final class Cli {
  private Cli() {}

  public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new PartviewCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // The handlers write to err itself, not to the failing command's getErr(): a subcommand added
    // after this (addSubcommand, as tests do) would still report to System.err otherwise.
    cl.setExecutionExceptionHandler((ex, sub, parsed) -> handleExecutionException(ex, parsed, err));
    cl.setParameterExceptionHandler((ex, args) -> handleParameterException(ex, err));
    return cl;
  }

  /** Usage errors: one line and a hint, exit 2 (picocli's default prints the whole usage). */
  private static int handleParameterException(CommandLine.ParameterException ex, PrintWriter err) {
    CommandLine cl = ex.getCommandLine();
    err.println("partview: " + ex.getMessage());
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
      err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
    }
    err.flush();
    return ExitCodes.USAGE;
  }

  /** Failures while running: one line naming what failed; the stack trace only with --verbose. */
  private static int handleExecutionException(Exception ex, ParseResult parsed, PrintWriter err) {
    err.println("partview: " + oneLine(ex));
    if (Verbosity.of(parsed)) ex.printStackTrace(err);
    err.flush();
    return exitCodeOf(ex);
  }

  static int exitCodeOf(Throwable ex) {
    if (ex instanceof CliException c) return c.exitCode();
    if (ex instanceof PartitionTableException) return ExitCodes.BAD_TABLE;
    if (ex instanceof IllegalArgumentException) return ExitCodes.USAGE;
    return ExitCodes.RUNTIME;
  }

  static String oneLine(Throwable ex) {
    String msg;
    if (ex instanceof NoSuchFileException e) msg = e.getFile() + ": no such file";
    else if (ex instanceof AccessDeniedException e) msg = e.getFile() + ": permission denied";
    else msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    return msg.replaceAll("\\s*\\R\\s*", " ");
  }
}
