/**
 * The partview filesystem: partitions and offset views of disk images as files. {@link
 * dev.partview.fuse.PartitionFiles} is the pure core, {@link dev.partview.fuse.PartitionFs} the
 * jnr-fuse adapter over it, {@link dev.partview.fuse.FuseMount} one mount's lifecycle; {@link
 * dev.partview.fuse.Unmounter} and {@link dev.partview.fuse.Holders} take mounts down and say what
 * holds a busy one.
 */
package dev.partview.fuse;
