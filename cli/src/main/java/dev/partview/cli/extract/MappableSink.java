package dev.partview.cli.extract;

import java.io.IOException;
import java.nio.MappedByteBuffer;

/** A sink that is a file this process can map: {@link ParallelCopy} reads the image into it. */
public interface MappableSink extends Sink {

  /**
   * A writable mapping of output {@code [offset, offset + length)}, shared with the file, which
   * grows to cover it.
   */
  MappedByteBuffer map(long offset, long length) throws IOException;

  /**
   * Output {@code [offset, offset + length)} was written with zeros: make it a hole again, now or
   * by {@link #finish}. Where the filesystem or the platform cannot, the zeros stay, as data.
   */
  void unwriteZeros(long offset, long length) throws IOException;
}
