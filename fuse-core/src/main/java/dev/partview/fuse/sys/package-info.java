/**
 * What fuse-core asks of the kernel, below both the mount and the loop devices. {@link
 * dev.partview.fuse.sys.LibC} is the one libc binding (jnr-ffi, errno saved per call) and {@link
 * dev.partview.fuse.sys.Sys} its only door: failures become {@link
 * dev.partview.fuse.sys.ErrnoException}, libc is bound on first use (or early, in the background).
 * Every native call that is not libfuse or libblkid goes through here. {@link
 * dev.partview.fuse.sys.MountTable} reads the mount table from {@code /proc/self/mountinfo}; {@link
 * dev.partview.fuse.sys.DirectIo} is the JDK's O_DIRECT open option.
 */
package dev.partview.fuse.sys;
