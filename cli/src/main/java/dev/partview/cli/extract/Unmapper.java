package dev.partview.cli.extract;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Unmaps a {@link MappedByteBuffer} now rather than when the garbage collector gets to it. Java 17
 * has no public call for this; {@code sun.misc.Unsafe.invokeCleaner} (jdk.unsupported, the module
 * meant for exactly such uses, as Lucene and Netty do) is reached by reflection so that nothing
 * depends on it at compile time. Without it, mappings are released by the collector: correct, only
 * holding more address space for a while.
 *
 * <p>After {@link #unmap}, the buffer and every slice of it must never be touched again.
 */
final class Unmapper {
  private Unmapper() {}

  private static final MethodHandle INVOKE_CLEANER = find();

  private static MethodHandle find() {
    try {
      Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
      theUnsafe.setAccessible(true);
      return MethodHandles.lookup()
          .findVirtual(
              unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
          .bindTo(theUnsafe.get(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  static void unmap(MappedByteBuffer buffer) {
    if (INVOKE_CLEANER == null) return;
    try {
      INVOKE_CLEANER.invokeExact((ByteBuffer) buffer);
    } catch (Throwable e) {
      // e.g. IllegalArgumentException for a slice: leave it to the collector.
    }
  }

  /** Whether mappings are released at once (for tests). */
  static boolean available() {
    return INVOKE_CLEANER != null;
  }
}
