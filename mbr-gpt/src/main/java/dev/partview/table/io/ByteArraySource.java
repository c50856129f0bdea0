package dev.partview.table.io;

import java.io.EOFException;
import java.nio.ByteBuffer;

/** An in-memory image, for tests and fuzzing. */
public final class ByteArraySource implements ByteSource {
  private final byte[] bytes;

  public ByteArraySource(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  @Override
  public long size() {
    return bytes.length;
  }

  @Override
  public void readFully(long offset, ByteBuffer dst) throws EOFException {
    if (offset < 0 || offset > bytes.length || dst.remaining() > bytes.length - offset) {
      throw new EOFException(
          "offset "
              + offset
              + ", length "
              + dst.remaining()
              + " (expected range 0.."
              + bytes.length
              + ")");
    }
    dst.put(bytes, (int) offset, dst.remaining());
  }
}
