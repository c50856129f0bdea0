package dev.partview.cli.extract;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where extracted bytes go. Offsets count from the start of the output. */
public interface Sink {

  /** Whether zeros may be left out (a file keeps them as holes) rather than written. */
  boolean sparse();

  /** Writes all remaining bytes of {@code data} at {@code offset}. */
  void write(ByteBuffer data, long offset) throws IOException;

  /** The output holds zeros at [offset, offset + length): a stream writes them, a file skips. */
  void zeros(long offset, long length) throws IOException;

  /** Everything is written: make the output exactly {@code length} bytes (trailing holes count). */
  void finish(long length) throws IOException;
}
