package dev.partview.cli;

import dev.partview.table.PartitionTableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Builds the command line. {@link Main} and the tests use the same factory. */
public final class Cli {
  private Cli() {}

  /**
   * picocli's built-in converters that no option needs, for picocli.converters.excludes. One regex,
   * not a list: picocli compiles each of them for each of its 19 optional converters.
   */
  static final String UNUSED_CONVERTERS = "java\\.(sql|time)\\..*";

  /** The whole command tree: the root and every subcommand. */
  public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
    return configure(new CommandLine(new PartviewCommand()), out, err);
  }

  /**
   * The command line for {@code args}: the root with only the subcommand they name, the root alone
   * for {@code --version}, or the whole tree when they name none (or {@code help}, which needs its
   * siblings). Start-up: picocli reflects on every command it is given, and building the seven
   * others cost ~15 ms of a ~115 ms extract and ~20 ms of list (cli/README.md).
   */
  public static CommandLine forArgs(String[] args, PrintWriter out, PrintWriter err) {
    if (onlyVersion(args)) return configure(new CommandLine(new RootCommand()), out, err);
    Class<?> named = subcommandNamedBy(args);
    if (named == null) return newCommandLine(out, err);
    CommandLine cl = new CommandLine(new RootCommand());
    cl.addSubcommand(named);
    return configure(cl, out, err);
  }

  /**
   * The subcommands by name, as their {@code @Command} names give them ({@code CliTest} checks this
   * against {@link PartviewCommand}); {@code help} is left out, as it needs its siblings. A map,
   * not each class's annotation: parsing those annotations would cost back most of the gain.
   */
  static final Map<String, Class<?>> BY_NAME =
      Map.of(
          "list", ListCommand.class,
          "offset", OffsetCommand.class,
          "mount", MountCommand.class,
          "umount", UmountCommand.class,
          "attach", AttachCommand.class,
          "detach", DetachCommand.class,
          "extract", ExtractCommand.class);

  /**
   * The subcommand class the first argument names, after nothing but {@code --verbose}, or null.
   * Any other root option before it ({@code --help list} prints the root's help, with every
   * subcommand) gets the whole tree.
   */
  static Class<?> subcommandNamedBy(String[] args) {
    for (String a : args) {
      if (!a.startsWith("-")) return BY_NAME.get(a);
      if (!a.equals("-v") && !a.equals("--verbose")) return null;
    }
    return null;
  }

  /** {@code partview --version} (or {@code -V}) and nothing else: the root alone answers it. */
  static boolean onlyVersion(String[] args) {
    return args.length > 0
        && Arrays.stream(args).allMatch(a -> a.equals("-V") || a.equals("--version"));
  }

  private static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err) {
    // Every subcommand's --help lists -V/--version: let it print the root's version, not nothing.
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(cl.getCommandSpec().versionProvider());
    }
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
    if (brokenPipe(ex)) return ExitCodes.BROKEN_PIPE; // e.g. extract -o - | head: quietly
    err.println("partview: " + oneLine(ex));
    if (Verbosity.of(parsed)) ex.printStackTrace(err);
    err.flush();
    return exitCodeOf(ex);
  }

  /**
   * The exit code once standard output is flushed: a write error there (a full disk, a closed pipe)
   * must not end in 0; a reader that went away ends quietly ({@link ExitCodes#BROKEN_PIPE}).
   */
  static int afterStdout(IOException failure, int code, PrintWriter err) {
    if (failure == null || code != ExitCodes.OK) return code; // a failure says so itself
    if (brokenPipe(failure)) return ExitCodes.BROKEN_PIPE;
    err.println("partview: write error on standard output: " + oneLine(failure));
    return ExitCodes.RUNTIME;
  }

  /** EPIPE somewhere in the chain of causes (its message is the same from every JDK write path). */
  static boolean brokenPipe(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof IOException && "Broken pipe".equals(t.getMessage())) return true;
    }
    return false;
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
