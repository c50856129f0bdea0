#!/usr/bin/env bash
# Builds the bundled sample disk images, byte for byte the same on every run (fixed UUIDs, hash
# seeds, disk ids and timestamps), and compresses them with xz:
#
#   sample-mbr.img  24 MiB  DOS table: p1 at sector 63 (byte 32256, the legacy layout), extended p2
#                           with logicals p5 and p6; ext4 in p1, p5 and p6
#   sample-gpt.img  24 MiB  GPT with named partitions: p1 "boot" (an empty FAT, label BOOT), p2 "rootfs" (ext4),
#                           p3 "data" (ext4)
#
# Needs sfdisk (fdisk), sgdisk (gdisk), mkfs.ext4 (e2fsprogs), mkfs.vfat + mcopy (dosfstools,
# mtools), xz. No root, no loop devices: every filesystem is written at its byte offset.
# Usage: build-sample.sh [OUTDIR]   (default: this script's directory)
set -euo pipefail
out=$(cd "${1:-$(dirname "$0")}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000 E2FSPROGS_FAKE_TIME=1700000000 TZ=UTC LC_ALL=C
MiB=$((1024 * 1024))

# Files to put inside the filesystems, with fixed times.
tree() { # DIR NAME
  mkdir -p "$1/docs"
  printf 'Hello from %s, inside a partition of a disk image.\n' "$2" >"$1/hello.txt"
  printf 'partview sample image: %s\n' "$2" >"$1/docs/README"
  seq 1 2000 >"$1/docs/numbers.txt"
  find "$1" -exec touch -h -d @$SOURCE_DATE_EPOCH {} +
}

ext4_at() { # IMAGE OFFSET_BYTES SIZE_BYTES LABEL UUID SRCDIR
  mkfs.ext4 -q -F -b 1024 -L "$4" -U "$5" -E "offset=$2,hash_seed=$5,lazy_itable_init=0" \
    -O ^has_journal,^metadata_csum_seed -d "$6" "$1" "$(($3 / 1024))"
  # mke2fs -d copies each file's ctime, which no tool can set: pin every time field afterwards.
  local cmds="$work/sif.cmds" f
  : >"$cmds"
  for f in / /lost+found $(cd "$6" && find . -mindepth 1 | sed 's/^\.//'); do
    for field in atime ctime mtime crtime; do
      echo "sif \"$f\" $field @$SOURCE_DATE_EPOCH" >>"$cmds"
    done
  done
  debugfs -w -f "$cmds" "$1?offset=$2" >/dev/null 2>&1
}

# --- MBR, legacy first partition at sector 63 ------------------------------------------------------
img="$work/sample-mbr.img"
truncate -s $((24 * MiB)) "$img"
sfdisk -q --no-reread --no-tell-kernel "$img" <<'TABLE'
label: dos
label-id: 0x5ca1ab1e
unit: sectors
start=63, size=16321, type=83, bootable
start=16384, size=32768, type=5
start=18432, size=14336, type=83
start=34816, size=14336, type=83
TABLE
for n in p1 p5 p6; do tree "$work/$n" "$n"; done
ext4_at "$img" $((63 * 512)) $((16320 * 512)) legacy 11111111-1111-4111-8111-111111111101 "$work/p1"
ext4_at "$img" $((18432 * 512)) $((14336 * 512)) logical5 11111111-1111-4111-8111-111111111105 "$work/p5"
ext4_at "$img" $((34816 * 512)) $((14336 * 512)) logical6 11111111-1111-4111-8111-111111111106 "$work/p6"

# --- GPT with named partitions -----------------------------------------------------------------------
img="$work/sample-gpt.img"
truncate -s $((24 * MiB)) "$img"
sgdisk -U 22222222-2222-4222-8222-222222222200 \
  -n 1:2048:10239 -t 1:ef00 -c 1:boot -u 1:22222222-2222-4222-8222-222222222201 \
  -n 2:10240:30719 -t 2:8300 -c 2:rootfs -u 2:22222222-2222-4222-8222-222222222202 \
  -n 3:30720:47070 -t 3:8300 -c 3:data -u 3:22222222-2222-4222-8222-222222222203 \
  "$img" >/dev/null
# The FAT spans only p1; mkfs.vfat notes that the file is larger, which is the point.
mkfs.vfat -a --invariant -n BOOT -i 2222BEEF --offset 2048 "$img" $(((10240 - 2048) / 2)) 2>&1 | grep -v "block count mismatch" || true
for n in rootfs data; do tree "$work/$n" "$n"; done
ext4_at "$img" $((10240 * 512)) $((20480 * 512)) rootfs 22222222-2222-4222-8222-2222222222f2 "$work/rootfs"
ext4_at "$img" $((30720 * 512)) $((16351 * 512)) data 22222222-2222-4222-8222-2222222222f3 "$work/data"

for f in sample-mbr.img sample-gpt.img; do
  xz -9e -T1 -c "$work/$f" >"$out/$f.xz"
done
ls -l "$out"/sample-*.img.xz
