/**
 * The {@code partview} command line: one picocli class per subcommand, registered on {@link
 * dev.partview.cli.PartviewCommand}, shared mixins for common options, the exit codes of {@link
 * dev.partview.cli.ExitCodes}. Nothing else may depend on this package: it is the top of the
 * dependency graph (cli → fuse-core → mbr-gpt).
 */
package dev.partview.cli;
