package dev.partview.table.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Bytes come through this one door: a size and positional reads. Implementations must allow
 * concurrent positional reads (the FUSE loop is multithreaded).
 */
public interface ByteSource extends Closeable {

  /** The number of bytes in the source. */
  long size() throws IOException;

  /**
   * Reads exactly {@code dst.remaining()} bytes starting at {@code offset}.
   *
   * @throws java.io.EOFException if the source ends first
   */
  void readFully(long offset, ByteBuffer dst) throws IOException;

  @Override
  default void close() throws IOException {}
}
