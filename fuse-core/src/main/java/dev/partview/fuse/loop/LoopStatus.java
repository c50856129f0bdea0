package dev.partview.fuse.loop;

/**
 * A bound loop device as sysfs shows it ({@code /sys/block/loopN/loop/*}, {@code ro}, {@code
 * size}). Read without opening the device or touching its backing file, so it is safe even when the
 * backing file sits on a FUSE mount that no longer answers.
 *
 * @param backingFile the path the kernel shows ({@code d_path} of the open file), without the
 *     {@code " (deleted)"} suffix
 * @param backingDeleted the backing file was deleted or replaced since the attach
 * @param sizeLimit 0 = up to the end of the file
 * @param sectors device size in 512-byte units
 * @param blockSize logical block size ({@code queue/logical_block_size})
 */
public record LoopStatus(
    int number,
    String backingFile,
    boolean backingDeleted,
    long offset,
    long sizeLimit,
    boolean readOnly,
    boolean autoclear,
    boolean partScan,
    boolean directIo,
    long sectors,
    int blockSize) {

  public String device() {
    return "/dev/loop" + number;
  }

  public long sizeBytes() {
    return sectors * LoopAbi.SYSFS_SECTOR;
  }
}
