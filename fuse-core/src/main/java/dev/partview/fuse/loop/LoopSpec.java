package dev.partview.fuse.loop;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to attach: a byte range of a file.
 *
 * @param file the backing file, absolute and with symlinks resolved (the form the kernel shows in
 *     sysfs {@code backing_file}, which is how existing attachments are recognised)
 * @param offset first byte of the range
 * @param sizeLimit bytes in the range; 0 means up to the end of the file
 * @param readOnly a read-only device on a file opened read-only
 * @param directIo LO_FLAGS_DIRECT_IO: the loop reads the file with O_DIRECT, bypassing the page
 *     cache of the file (the kernel silently falls back when the file cannot do O_DIRECT)
 * @param partScan LO_FLAGS_PARTSCAN: needed for partitions of the device ({@code loopNpM})
 * @param blockSize the device's logical block size, as {@code losetup -b}: a power of two from 512,
 *     or 0 for the kernel's default (512, or with direct I/O the backing file's alignment on
 *     kernels since 6.14)
 * @param name lo_file_name: which image and partition, for people reading LOOP_GET_STATUS64
 */
public record LoopSpec(
    Path file,
    long offset,
    long sizeLimit,
    boolean readOnly,
    boolean directIo,
    boolean partScan,
    int blockSize,
    String name) {

  public LoopSpec {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(name, "name");
    if (!file.isAbsolute()) throw new IllegalArgumentException("not absolute: " + file);
    if (offset < 0) throw new IllegalArgumentException("negative offset: " + offset);
    if (sizeLimit < 0) throw new IllegalArgumentException("negative size limit: " + sizeLimit);
    if (blockSize != 0 && (blockSize < 512 || Integer.bitCount(blockSize) != 1)) {
      throw new IllegalArgumentException("block size not 0 or a power of two >= 512: " + blockSize);
    }
  }

  /** The whole file, read-only, named after itself. */
  public static LoopSpec wholeFile(Path file) {
    return new LoopSpec(file, 0, 0, true, false, false, 0, file.toString());
  }

  public LoopSpec withReadOnly(boolean ro) {
    return new LoopSpec(file, offset, sizeLimit, ro, directIo, partScan, blockSize, name);
  }

  public LoopSpec withDirectIo(boolean dio) {
    return new LoopSpec(file, offset, sizeLimit, readOnly, dio, partScan, blockSize, name);
  }

  public LoopSpec withPartScan(boolean scan) {
    return new LoopSpec(file, offset, sizeLimit, readOnly, directIo, scan, blockSize, name);
  }

  public LoopSpec withBlockSize(int bytes) {
    return new LoopSpec(file, offset, sizeLimit, readOnly, directIo, partScan, bytes, name);
  }

  /** The flags for LOOP_CONFIGURE, AUTOCLEAR excluded. */
  int flags() {
    return (readOnly ? LoopAbi.LO_FLAGS_READ_ONLY : 0)
        | (directIo ? LoopAbi.LO_FLAGS_DIRECT_IO : 0)
        | (partScan ? LoopAbi.LO_FLAGS_PARTSCAN : 0);
  }

  /**
   * lo_file_name for a partition of an image: {@code "/path/disk.img:p1"}, or when that does not
   * fit in 63 bytes, {@code "disk.img:p1"}; the kernel keeps 63 bytes of whatever is left.
   */
  public static String partitionName(Path image, String partition) {
    String full = image + ":" + partition;
    if (LoopInfo64.truncatedName(full).length
        == full.getBytes(java.nio.charset.StandardCharsets.UTF_8).length) {
      return full;
    }
    return image.getFileName() + ":" + partition;
  }
}
