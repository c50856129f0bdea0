package dev.partview.cli;

import dev.partview.fuse.MountException;
import java.util.List;
import java.util.Optional;

/**
 * A mount libfuse refused because of the user's {@code -o} options: bad input, so one usage line
 * that names the option, instead of libfuse's line and the daemon's "could not mount" after it.
 * libfuse 2 says so on stderr (the daemon's log) in one of these forms:
 *
 * <ul>
 *   <li>{@code fuse: unknown option `NAME'} (libfuse itself knows no such option);
 *   <li>{@code fuse: invalid parameter in option `NAME=VALUE'} (e.g. {@code uid=abc});
 *   <li>{@code fuse: 'allow_other' and 'allow_root' options are mutually exclusive};
 *   <li>{@code fuse: mount failed: Invalid argument} ({@code fusermount: …} for a user): the kernel
 *       refused the mount data (e.g. {@code context=…}, {@code blksize=…} on a non-block mount).
 *       partview's own options always pass, so when the user gave options that reach the kernel
 *       ({@link #KERNEL_KEYS}), those are named; else the daemon's lines stand;
 *   <li>{@code fusermount: option allow_other only allowed if 'user_allow_other' is set in
 *       /etc/fuse.conf}.
 * </ul>
 */
final class FuseOptionRefusal {
  private FuseOptionRefusal() {}

  private static final String UNKNOWN = "fuse: unknown option `";
  private static final String INVALID = "fuse: invalid parameter in option `";
  private static final String EXCLUSIVE = "options are mutually exclusive";

  /** libfuse's line as root; a user's mount goes through fusermount, which says it its way. */
  private static final List<String> KERNEL_EINVAL =
      List.of("fuse: mount failed: Invalid argument", "fusermount: mount failed: Invalid argument");

  /** fusermount's refusal of allow_other/allow_root for a user (a setting of /etc/fuse.conf). */
  private static final String FUSERMOUNT_OPTION = "fusermount: option ";

  /**
   * Options that reach the kernel as FUSE mount data, where an EINVAL comes from: the rest are
   * libfuse's own ({@code debug}, {@code kernel_cache}) or mount flags ({@code ro}, {@code
   * noexec}), which the kernel does not refuse that way. {@code user_id}, {@code fd} and the like
   * are partview's or libfuse's to set and refused earlier.
   */
  private static final List<String> KERNEL_KEYS =
      List.of(
          "context",
          "fscontext",
          "defcontext",
          "rootcontext",
          "blksize",
          "max_read",
          "allow_other",
          "default_permissions");

  /**
   * @param log the daemon's log lines
   * @param userOptions the {@code -o} options the user gave, one per element
   */
  static Optional<MountException> find(List<String> log, List<String> userOptions) {
    for (String line : log) {
      Optional<String> named = quoted(line, UNKNOWN);
      if (named.isPresent()) return usage("-o " + named.get() + ": not a FUSE option");
      named = quoted(line, INVALID);
      if (named.isPresent()) return usage("-o " + named.get() + ": not a valid value");
      if (userOptions.isEmpty()) continue;
      String given = "-o " + String.join(",", userOptions);
      if (line.startsWith("fuse: ") && line.endsWith(EXCLUSIVE)) {
        return usage(given + ": " + line.substring("fuse: ".length()));
      }
      if (line.startsWith(FUSERMOUNT_OPTION)) {
        return usage("-o " + line.substring(FUSERMOUNT_OPTION.length()));
      }
      List<String> toKernel =
          userOptions.stream().filter(o -> KERNEL_KEYS.contains(key(o))).toList();
      if (KERNEL_EINVAL.contains(line) && !toKernel.isEmpty()) {
        return usage(
            "-o " + String.join(",", toKernel) + ": refused by the kernel (Invalid argument)");
      }
    }
    return Optional.empty();
  }

  /** {@code context} of {@code context=x}. */
  private static String key(String option) {
    int eq = option.indexOf('=');
    return eq < 0 ? option : option.substring(0, eq);
  }

  /** The NAME of {@code PREFIX NAME'}, if the line is one. */
  private static Optional<String> quoted(String line, String prefix) {
    if (!line.startsWith(prefix) || !line.endsWith("'")) return Optional.empty();
    return Optional.of(line.substring(prefix.length(), line.length() - 1));
  }

  private static Optional<MountException> usage(String message) {
    return Optional.of(new MountException(MountException.Reason.USAGE, message));
  }
}
