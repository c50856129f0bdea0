package dev.partview.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The root command, {@code partview}, without its subcommands: its own options, description and
 * exit codes. Bare, it prints usage and exits 2. {@link PartviewCommand} adds the subcommands.
 */
@Command(
    name = "partview",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      // The first line is also the NAME line of the man page: a sentence of its own.
      "Show the partitions of disk images as plain files (FUSE) and attach them to loop devices.",
      "No offset arithmetic, no device-mapper, no root except for loop devices."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:runtime failure",
      "2:usage error",
      "3:no readable or valid partition table, or corrupt image",
      "4:environment (no /dev/fuse, no permission, no free loop device)"
    })
class RootCommand implements Runnable {
  @Spec CommandSpec spec;
  @Mixin VerbosityMixin verbosity;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing a command");
  }
}
