package dev.partview.fuse;

import dev.partview.table.PartitionTable;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One disk image being served. The channel is shared by every FUSE thread: only positional reads
 * and writes ever touch it, so no thread depends on a file position.
 *
 * @param name the folder name in a multi-image mount (the image's file name)
 * @param path absolute, symlinks resolved: what /proc/mounts shows as the source
 * @param channel open for reading, and for writing only when the mount is read-write
 * @param size bytes, fixed for the life of the mount (the mount never grows an image)
 * @param table the partition table, or {@code null} when the image has none
 * @param sectorSize what one {@code s} is worth in offset views: the table's, else 512
 * @param permissions the image file's permission bits ({@code 0644}); files and folders derive
 *     theirs from these
 * @param mtimeSeconds the image's modification time when mounted
 * @param fileKey what identifies the file (device and inode), read when it was opened: a second
 *     descriptor opened later by path must name the same file
 * @param filesystemLabels the filesystem label of each partition that has one, by partition number
 *     (libblkid's LABEL, as {@code list} shows it): by-label/ links them after the GPT names
 */
public record Image(
    String name,
    Path path,
    FileChannel channel,
    long size,
    PartitionTable table,
    int sectorSize,
    int permissions,
    long mtimeSeconds,
    Object fileKey,
    Map<Integer, String> filesystemLabels) {

  public Image {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(channel, "channel");
    if (size < 0) throw new IllegalArgumentException("negative image size: " + size);
    filesystemLabels = Map.copyOf(filesystemLabels);
  }
}
