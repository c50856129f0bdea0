/**
 * The one narrow place where partview calls libc: open, close and ioctl through jnr-ffi, with errno
 * saved per call and turned into {@link dev.partview.fuse.sys.ErrnoException}. Everything native
 * that is not libfuse goes through here.
 */
package dev.partview.fuse.sys;
