/**
 * Loop devices through ioctls, the way util-linux's loopdev.c drives them, plus one rule of our
 * own: a device is configured with AUTOCLEAR while partview holds it, so a failure or a kill
 * mid-setup leaves nothing behind. State is read from sysfs and /proc/self/mountinfo, never through
 * {@code losetup -a}. See fuse-core/README.md.
 */
package dev.partview.fuse.loop;
