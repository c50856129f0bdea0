package dev.partview.cli.extract;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A sink the kernel can copy into itself (a file): the bytes need not pass through this process.
 */
public interface KernelCopySink extends Sink {

  /**
   * Copies {@code [pos, pos + length)} of {@code src} to {@code offset} of the output inside the
   * kernel ({@code sendfile}, through {@link FileChannel#transferTo}).
   *
   * @return the bytes copied: fewer than {@code length} only when {@code src} ends first
   */
  long copyFrom(FileChannel src, long pos, long length, long offset) throws IOException;
}
