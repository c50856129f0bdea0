package dev.partview.table.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A file read with positional I/O only: safe for many threads at once, no shared position. */
public final class FileChannelSource implements ByteSource {
  private final FileChannel channel;
  private final boolean owned;

  private FileChannelSource(FileChannel channel, boolean owned) {
    this.channel = channel;
    this.owned = owned;
  }

  public static FileChannelSource open(Path path) throws IOException {
    return new FileChannelSource(FileChannel.open(path, StandardOpenOption.READ), true);
  }

  /** Wraps a channel the caller keeps owning: {@link #close()} leaves it open. */
  public static FileChannelSource wrap(FileChannel channel) {
    return new FileChannelSource(channel, false);
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public void readFully(long offset, ByteBuffer dst) throws IOException {
    long position = offset;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, position);
      if (n < 0) {
        throw new EOFException(
            "end of file at offset " + position + ", " + dst.remaining() + " bytes short");
      }
      position += n;
    }
  }

  @Override
  public void close() throws IOException {
    if (owned) channel.close();
  }
}
