package dev.partview.testimages;

import dev.partview.testimages.DiskLayout.EbrLayout;
import dev.partview.testimages.DiskLayout.GptLayout;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Damages one field of an image built by {@link DiskImageBuilder}, at offsets taken from its {@link
 * DiskLayout}. Works in place on a file, or on a byte[] (read the result back with {@link
 * #bytes()}).
 *
 * <p>Header-field setters ({@link #setHeaderSize}, {@link #setEntryCount}, {@link #setEntrySize},
 * {@link #setMyLba}) refresh the primary header CRC afterwards, so the named field is the only
 * defect; the entry-array CRC is left as it was. Use {@link #setU32} etc. for a raw write that
 * leaves the CRC stale.
 */
public final class Corruptor {
  private final DiskLayout layout;
  private byte[] array;
  private final Path file;

  private Corruptor(DiskLayout layout, byte[] array, Path file) {
    this.layout = layout;
    this.array = array;
    this.file = file;
  }

  /** Corrupts {@code image} in place (until {@link #truncateTo} replaces it). */
  public static Corruptor of(byte[] image, DiskLayout layout) {
    return new Corruptor(layout, image, null);
  }

  /** Corrupts {@code file} in place. */
  public static Corruptor of(Path file, DiskLayout layout) {
    return new Corruptor(layout, null, file);
  }

  /** The damaged image (byte[] mode only). */
  public byte[] bytes() {
    if (array == null) throw new IllegalStateException("this Corruptor works on " + file);
    return array;
  }

  public Corruptor flipByte(long offset) {
    byte[] b = read(offset, 1);
    b[0] ^= (byte) 0xFF;
    return write(offset, b);
  }

  public Corruptor setU8(long offset, int value) {
    return write(offset, new byte[] {(byte) value});
  }

  public Corruptor setU16(long offset, int value) {
    return write(offset, le(2).putShort(0, (short) value).array());
  }

  public Corruptor setU32(long offset, long value) {
    return write(offset, le(4).putInt(0, (int) value).array());
  }

  public Corruptor setU64(long offset, long value) {
    return write(offset, le(8).putLong(0, value).array());
  }

  /** Flips one bit of the stored header CRC32: every other header byte stays valid. */
  public Corruptor breakPrimaryHeaderCrc() {
    return flipBit(gpt().primaryHeaderOffset() + GptEncoder.HEADER_CRC_OFFSET);
  }

  public Corruptor breakBackupHeaderCrc() {
    return flipBit(gpt().backupHeaderOffset() + GptEncoder.HEADER_CRC_OFFSET);
  }

  /**
   * Flips one bit of the entry-array CRC stored in the primary header and refreshes the header CRC:
   * the header is sound, the entries are readable, only their checksum disagrees.
   */
  public Corruptor breakEntryArrayCrc() {
    flipBit(gpt().primaryHeaderOffset() + GptEncoder.ENTRIES_CRC_OFFSET);
    return fixPrimaryHeaderCrc();
  }

  /** Zeroes the whole primary header sector (LBA 1). */
  public Corruptor zeroPrimaryHeader() {
    return write(gpt().primaryHeaderOffset(), new byte[layout.sectorSize()]);
  }

  public Corruptor zeroBackupHeader() {
    return write(gpt().backupHeaderOffset(), new byte[layout.sectorSize()]);
  }

  public Corruptor setHeaderSize(long size) {
    setU32(gpt().primaryHeaderOffset() + GptEncoder.HEADER_SIZE_OFFSET, size);
    return fixPrimaryHeaderCrc();
  }

  public Corruptor setEntryCount(long count) {
    setU32(gpt().primaryHeaderOffset() + GptEncoder.ENTRY_COUNT_OFFSET, count);
    return fixPrimaryHeaderCrc();
  }

  public Corruptor setEntrySize(long size) {
    setU32(gpt().primaryHeaderOffset() + GptEncoder.ENTRY_SIZE_OFFSET, size);
    return fixPrimaryHeaderCrc();
  }

  public Corruptor setMyLba(long lba) {
    setU64(gpt().primaryHeaderOffset() + GptEncoder.MY_LBA_OFFSET, lba);
    return fixPrimaryHeaderCrc();
  }

  /**
   * Recomputes the primary header CRC over the header size it now declares (clamped to the sector).
   */
  public Corruptor fixPrimaryHeaderCrc() {
    return fixHeaderCrc(gpt().primaryHeaderOffset());
  }

  /** {@link #fixPrimaryHeaderCrc} for the backup header, in the disk's last sector. */
  public Corruptor fixBackupHeaderCrc() {
    return fixHeaderCrc(gpt().backupHeaderOffset());
  }

  /**
   * Recomputes the primary header's CRC of the (primary) entry array, after entries were edited,
   * and then the header's own CRC.
   */
  public Corruptor fixEntryArrayCrc() {
    GptLayout g = gpt();
    int n = (int) g.entryArrayBytes();
    int crc = GptEncoder.crc32(read(g.entryArrayOffset(), n), 0, n);
    setU32(g.primaryHeaderOffset() + GptEncoder.ENTRIES_CRC_OFFSET, crc & 0xFFFF_FFFFL);
    return fixPrimaryHeaderCrc();
  }

  private Corruptor fixHeaderCrc(long offset) {
    byte[] header = read(offset, layout.sectorSize());
    long size = le(header).getInt(GptEncoder.HEADER_SIZE_OFFSET) & 0xFFFF_FFFFL;
    return setU32(offset + GptEncoder.HEADER_CRC_OFFSET, GptEncoder.headerCrc(header, size));
  }

  /**
   * Makes EBR {@code ebrIndex} link to EBR {@code targetIndex} (itself, or an earlier one): a chain
   * that never ends unless the parser notices. Writes the link entry if the EBR had none.
   */
  public Corruptor loopEbrChain(int ebrIndex, int targetIndex) {
    EbrLayout from = layout.ebr(ebrIndex);
    EbrLayout to = layout.ebr(targetIndex);
    long offset = from.linkEntryOffset();
    long relative = to.lba() - layout.extendedStartLba();
    setU8(offset + 4, 0x05);
    setU32(offset + 8, relative);
    if ((le(read(offset + 12, 4)).getInt(0)) == 0) setU32(offset + 12, 1);
    return this;
  }

  /** Cuts (or extends with zeros) the image to {@code size} bytes. */
  public Corruptor truncateTo(long size) {
    if (array != null) {
      array = Arrays.copyOf(array, Math.toIntExact(size));
      return this;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  private GptLayout gpt() {
    return layout.requireGpt();
  }

  private Corruptor flipBit(long offset) {
    byte[] b = read(offset, 1);
    b[0] ^= 1;
    return write(offset, b);
  }

  private byte[] read(long offset, int length) {
    byte[] out = new byte[length];
    if (array != null) {
      checkRange(offset, length, array.length);
      System.arraycopy(array, (int) offset, out, 0, length);
      return out;
    }
    try (FileChannel ch = FileChannel.open(file)) {
      checkRange(offset, length, ch.size());
      ByteBuffer buf = ByteBuffer.wrap(out);
      while (buf.hasRemaining()) {
        if (ch.read(buf, offset + buf.position()) < 0) throw new IOException("EOF in " + file);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Corruptor write(long offset, byte[] bytes) {
    if (array != null) {
      checkRange(offset, bytes.length, array.length);
      System.arraycopy(bytes, 0, array, (int) offset, bytes.length);
      return this;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      checkRange(offset, bytes.length, raf.length());
      FileChannel ch = raf.getChannel();
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) ch.write(buf, offset + buf.position());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  private static void checkRange(long offset, int length, long size) {
    if (offset < 0 || offset + length > size) {
      throw new IllegalArgumentException(
          "offset " + offset + ", length " + length + " (expected range 0.." + size + ")");
    }
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer le(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
