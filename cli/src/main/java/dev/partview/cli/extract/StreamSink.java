package dev.partview.cli.extract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** A pipe or terminal (stdout): every byte is written, in order, holes as zeros. */
public final class StreamSink implements Sink {
  private final WritableByteChannel out;
  private final ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
  private long position;

  public StreamSink(WritableByteChannel out) {
    this.out = out;
  }

  @Override
  public boolean sparse() {
    return false;
  }

  @Override
  public void write(ByteBuffer data, long offset) throws IOException {
    expect(offset);
    while (data.hasRemaining()) position += out.write(data);
  }

  @Override
  public void zeros(long offset, long length) throws IOException {
    expect(offset);
    for (long left = length; left > 0; ) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), left));
      while (zeros.hasRemaining()) {
        int n = out.write(zeros);
        position += n;
        left -= n;
      }
    }
  }

  @Override
  public void finish(long length) throws IOException {
    if (position != length) {
      throw new IOException("wrote " + position + " bytes to the stream, expected " + length);
    }
  }

  private void expect(long offset) {
    if (offset != position) {
      throw new IllegalStateException("stream write at " + offset + ", expected " + position);
    }
  }
}
