package dev.partview.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * Writes small MBR images byte by byte, independently of the reader (the test's oracle): a boot
 * sector with up to four entries, EBRs for logical partitions, and chosen bytes at chosen places.
 *
 * <p>Not {@code DiskImageBuilder}: that one writes only tables (and markers) from memory, while the
 * tests here stream up to hundreds of MiB of data, some of it zeros that must end up allocated,
 * into the file with {@link #put}; and its entries carry CHS bytes and a disk signature where these
 * are zero.
 */
final class MbrImage implements AutoCloseable {
  static final int SECTOR = 512;

  /** One 16-byte entry: type code, first LBA (absolute or relative, as the caller means it). */
  record Entry(int type, long lba, long sectors) {}

  private final FileChannel ch;

  private MbrImage(FileChannel ch) {
    this.ch = ch;
  }

  /** A new image of {@code size} bytes (sparse), with the given primary entries in slots 1-4. */
  static MbrImage create(Path file, long size, Entry... primaries) throws IOException {
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    MbrImage img = new MbrImage(ch);
    ch.truncate(0);
    ch.write(ByteBuffer.allocate(1), size - 1);
    img.table(0, primaries);
    return img;
  }

  /** An EBR at {@code lba}: a logical entry (relative to the EBR) and an optional link. */
  MbrImage ebr(long lba, Entry logical, Entry link) throws IOException {
    return table(lba, link == null ? new Entry[] {logical} : new Entry[] {logical, link});
  }

  /** Writes {@code bytes} at byte {@code offset}. */
  MbrImage put(long offset, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) ch.write(b, offset + b.position());
    return this;
  }

  static byte[] random(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private MbrImage table(long lba, Entry... entries) throws IOException {
    ByteBuffer s = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < entries.length; i++) {
      Entry e = entries[i];
      int at = 446 + 16 * i;
      s.put(at + 4, (byte) e.type());
      s.putInt(at + 8, (int) e.lba());
      s.putInt(at + 12, (int) e.sectors());
    }
    s.put(510, (byte) 0x55).put(511, (byte) 0xAA);
    ch.write(s, lba * SECTOR);
    return this;
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }
}
