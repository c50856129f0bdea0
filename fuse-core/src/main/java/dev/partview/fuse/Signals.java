package dev.partview.fuse;

import dev.partview.fuse.sys.Sys;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes SIGINT unmount the daemon even when it was started from a background job. A shell starts
 * background jobs with SIGINT ignored, the JVM then leaves SIGINT alone (it never installs its
 * shutdown handler over an ignored signal), and {@code kill -INT} would do nothing. So: if SIGINT
 * is ignored, set it back to the default and register a handler that exits with 130, the way the
 * JVM does for a SIGINT it owns, which runs the shutdown hooks and so the unmount.
 *
 * <p>The handler is registered through {@code sun.misc.Signal} by reflection: it is a supported API
 * of {@code jdk.unsupported}, but javac flags direct use as proprietary and the build treats
 * warnings as errors.
 */
final class Signals {
  private Signals() {}

  static final int SIGINT = 2;

  /**
   * @return true if SIGINT was ignored and is now handled
   */
  static boolean reclaimInterrupt() {
    if (!ignored(SIGINT)) return false;
    Sys.resetIgnored(SIGINT);
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      InvocationHandler onSignal =
          (proxy, method, args) ->
              switch (method.getName()) {
                case "handle" -> {
                  System.exit(128 + SIGINT);
                  yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "partview SIGINT handler";
              };
      Object handler =
          Proxy.newProxyInstance(
              Signals.class.getClassLoader(), new Class<?>[] {handlerType}, onSignal);
      Object sigint = signal.getConstructor(String.class).newInstance("INT");
      signal.getMethod("handle", signal, handlerType).invoke(null, sigint, handler);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      // SIGINT now kills the JVM without hooks: still better than ignoring it. SIGTERM works.
      return false;
    }
  }

  /** Whether {@code signum} is ignored, from the SigIgn mask in /proc/self/status. */
  static boolean ignored(int signum) {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("SigIgn:")) {
          long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
          return (mask & (1L << (signum - 1))) != 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or an unexpected format: assume the default
    }
    return false;
  }
}
