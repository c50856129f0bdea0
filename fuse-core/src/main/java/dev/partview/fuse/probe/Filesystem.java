package dev.partview.fuse.probe;

import java.util.Objects;

/**
 * What libblkid found in a byte range, in its own words.
 *
 * @param type libblkid's TYPE, e.g. {@code ext4}, {@code vfat}, {@code swap}, {@code crypto_LUKS},
 *     {@code LVM2_member}, {@code iso9660}
 * @param label LABEL, or null when the superblock has none
 * @param uuid UUID (the filesystem's, not the partition's), or null
 * @param usage USAGE: {@code filesystem}, {@code raid}, {@code crypto} or {@code other}; or null
 */
public record Filesystem(String type, String label, String uuid, String usage) {
  public Filesystem {
    Objects.requireNonNull(type, "type");
  }
}
