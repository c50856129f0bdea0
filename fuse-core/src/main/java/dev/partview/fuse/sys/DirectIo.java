package dev.partview.fuse.sys;

import java.nio.file.OpenOption;
import java.util.Optional;

/**
 * O_DIRECT for {@code FileChannel.open}: {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, looked
 * up by name. javac 21 and later warn about that JDK-internal API at every use, even with {@code
 * --release 17}, with no lint key to suppress it, and the build treats warnings as errors.
 */
public final class DirectIo {
  private DirectIo() {}

  private static final Optional<OpenOption> OPTION = lookUp();

  /** The option; empty on a JDK without it. */
  public static Optional<OpenOption> option() {
    return OPTION;
  }

  private static Optional<OpenOption> lookUp() {
    try {
      for (Object c : Class.forName("com.sun.nio.file.ExtendedOpenOption").getEnumConstants()) {
        if (((Enum<?>) c).name().equals("DIRECT")) return Optional.of((OpenOption) c);
      }
    } catch (ClassNotFoundException | ClassCastException e) {
      // a JDK without jdk.unsupported
    }
    return Optional.empty();
  }
}
