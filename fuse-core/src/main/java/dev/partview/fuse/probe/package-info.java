/**
 * What filesystem a partition holds, through libblkid (util-linux) bound with jnr-ffi on a byte
 * range of the image: no loop device, no root, the same answers as {@code blkid -p -O OFFSET -S
 * SIZE IMAGE}. Only {@code libblkid.so.1} is loaded; when it is missing, {@link
 * dev.partview.fuse.probe.FilesystemProbe#available()} says so and callers carry on without.
 */
package dev.partview.fuse.probe;
