package dev.partview.fuse.loop;

/**
 * A partition of a block device as sysfs shows it.
 *
 * @param name e.g. {@code loop3p1}
 * @param number the partition number (sysfs {@code partition})
 * @param startSector first 512-byte sector on the whole device
 * @param sectors size in 512-byte sectors
 * @param majorMinor sysfs {@code dev}, e.g. {@code 259:0}
 */
public record BlockPartition(
    String name, int number, long startSector, long sectors, String majorMinor) {
  public String device() {
    return "/dev/" + name;
  }
}
