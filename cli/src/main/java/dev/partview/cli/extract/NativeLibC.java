package dev.partview.cli.extract;

import java.util.concurrent.CompletableFuture;
import jnr.ffi.LibraryLoader;

/**
 * Loads {@link LibC} once, on a background thread. Binding a jnr-ffi interface generates classes
 * and costs 100-150 ms in a fresh JVM, as much as copying a few hundred MiB; extraction starts
 * without it (every byte treated as data, zero blocks still skipped) and uses it from the moment it
 * is ready.
 */
final class NativeLibC {
  private NativeLibC() {}

  private static volatile CompletableFuture<LibC> loading;

  /** Starts loading if not started; never blocks. The future fails if libc cannot be bound. */
  static CompletableFuture<LibC> loadAsync() {
    CompletableFuture<LibC> f = loading;
    if (f != null) return f;
    synchronized (NativeLibC.class) {
      if (loading == null) {
        CompletableFuture<LibC> started = new CompletableFuture<>();
        Thread t =
            new Thread(
                () -> {
                  try {
                    started.complete(LibraryLoader.create(LibC.class).load("c"));
                  } catch (Throwable e) { // UnsatisfiedLinkError, LinkageError: no native access
                    started.completeExceptionally(e);
                  }
                },
                "partview-libc-loader");
        t.setDaemon(true);
        t.start();
        loading = started;
      }
      return loading;
    }
  }

  /** The errno saved by the last {@code @SaveError} call on this thread. */
  static int errno(LibC libc) {
    return jnr.ffi.Runtime.getRuntime(libc).getLastError();
  }
}
