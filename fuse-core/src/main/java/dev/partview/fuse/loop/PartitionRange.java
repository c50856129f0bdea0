package dev.partview.fuse.loop;

/**
 * A partition to create on a whole-image loop device with BLKPG.
 *
 * @param number partition number: the node is {@code /dev/loopNp<number>}
 * @param start first byte on the device, a multiple of 512
 * @param length bytes, a positive multiple of 512
 */
public record PartitionRange(int number, long start, long length) {
  public PartitionRange {
    if (number < 1) throw new IllegalArgumentException("partition number < 1: " + number);
    if (start < 0 || length <= 0 || start % 512 != 0 || length % 512 != 0) {
      throw new IllegalArgumentException(
          "partition "
              + number
              + ": start "
              + start
              + " and length "
              + length
              + " must be multiples of 512, length > 0");
    }
  }

  public long startSector() {
    return start / LoopAbi.SYSFS_SECTOR;
  }

  public long sectors() {
    return length / LoopAbi.SYSFS_SECTOR;
  }
}
