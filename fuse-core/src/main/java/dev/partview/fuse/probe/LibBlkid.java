package dev.partview.fuse.probe;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.NumberByReference;
import jnr.ffi.byref.PointerByReference;

/**
 * The part of libblkid's low-level probing API (blkid.h, "NAME=value low-level interface") that
 * {@link FilesystemProbe} uses. A {@code blkid_probe} is an opaque {@link Pointer}; {@code
 * blkid_loff_t} is int64. Public only because jnr-ffi generates its implementation in another class
 * loader; not an API of partview.
 */
@SaveError
public interface LibBlkid {
  /** {@code BLKID_SUBLKS_LABEL}: read LABEL from the superblock. */
  int SUBLKS_LABEL = 1 << 1;

  /** {@code BLKID_SUBLKS_UUID}: read UUID from the superblock. */
  int SUBLKS_UUID = 1 << 3;

  /** {@code BLKID_SUBLKS_TYPE}: define TYPE. */
  int SUBLKS_TYPE = 1 << 5;

  /** {@code BLKID_SUBLKS_USAGE}: define USAGE (filesystem, raid, crypto, other). */
  int SUBLKS_USAGE = 1 << 7;

  /** Opens the file itself (O_RDONLY|O_CLOEXEC); NULL on failure, with errno set. */
  Pointer blkid_new_probe_from_filename(String filename);

  Pointer blkid_new_probe();

  void blkid_free_probe(Pointer pr);

  int blkid_probe_get_fd(Pointer pr);

  long blkid_probe_get_size(Pointer pr);

  /**
   * Points a probe at {@code size} bytes of {@code fd} from {@code off}. A probe made with {@link
   * #blkid_new_probe()} does not own the descriptor, so it never closes it.
   */
  int blkid_probe_set_device(Pointer pr, int fd, long off, long size);

  int blkid_probe_set_sectorsize(Pointer pr, int sz);

  int blkid_probe_enable_superblocks(Pointer pr, int enable);

  int blkid_probe_set_superblocks_flags(Pointer pr, int flags);

  int blkid_probe_enable_partitions(Pointer pr, int enable);

  /** 0 found, 1 nothing found, -2 more than one signature (ambivalent), -1 error. */
  int blkid_do_safeprobe(Pointer pr);

  /**
   * 0 when the value exists; {@code data} then points into the probe, {@code len} counts the NUL.
   */
  int blkid_probe_lookup_value(
      Pointer pr, String name, @Out PointerByReference data, @Out NumberByReference len);

  /** The library version as an int (e.g. 2381) and string; returns the int. */
  int blkid_get_library_version(@Out PointerByReference ver, @Out PointerByReference date);
}
