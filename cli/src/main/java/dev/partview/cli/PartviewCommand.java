package dev.partview.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * The whole command tree: the root ({@link RootCommand}) and every subcommand. The man page and
 * completion generators read this class; {@link Cli} builds it, or the root with only the one
 * subcommand a command line names.
 */
@Command(
    subcommands = {
      HelpCommand.class,
      ListCommand.class,
      OffsetCommand.class,
      MountCommand.class,
      UmountCommand.class,
      AttachCommand.class,
      DetachCommand.class,
      ExtractCommand.class,
    })
public final class PartviewCommand extends RootCommand {}
