#!/usr/bin/env bash
# Loop device on a FUSE-served file: buffered vs --direct-io (LO_FLAGS_DIRECT_IO).
#
#   bench/loop-dio.sh FUSEFILE [IMAGE] [REPS]
#
# FUSEFILE is a file of a FUSE mount holding an ext4 filesystem (e.g. MOUNT/p1 of a partview mount);
# IMAGE, if given, is the local file behind it, whose page cache is dropped too before cold runs.
# Needs root and a built jar (./mvnw -B -DskipTests package). Prints one line per run:
#   mode rep  cold-MB/s  warm-MB/s  fuse-MiB  ext4-read-s  ext4-fuse-MiB
# cold/warm: dd of the whole loop device with nothing cached / right after. fuse-MiB: how much of
# FUSEFILE sits in the page cache afterwards (fincore), i.e. the copy a buffered loop keeps on top of
# its own block-device cache (and the daemon's cache of IMAGE, the same in both modes). ext4: mount
# the loop read-only and cat every file, cold. Counted per file, not from /proc/meminfo, which the
# rest of a busy machine disturbs.
set -euo pipefail
fusefile=$(readlink -f "$1")
image=${2:+$(readlink -f "$2")}
reps=${3:-3}
pv="$(dirname "$(readlink -f "$0")")/../bin/partview"
mnt=$(mktemp -d /tmp/loop-dio.XXXXXX)
dev=
cleanup() {
  mountpoint -q "$mnt" && umount "$mnt"
  [[ -n $dev ]] && "$pv" detach "$dev" >/dev/null 2>&1 || true
  rmdir "$mnt"
}
trap cleanup EXIT

cached_mib() { echo $(($(fincore --bytes --noheadings --output RES "$fusefile") / 1048576)); }
drop() { # drop the page cache of just these files (posix_fadvise DONTNEED), not the whole system
  dd if="$fusefile" iflag=nocache count=0 status=none
  [[ -n $image ]] && dd if="$image" iflag=nocache count=0 status=none
  return 0
}
attach() { dev=$("$pv" attach --whole "$@" "$fusefile" | awk '{print $2}'); }
detach() { "$pv" detach "$dev" >/dev/null; dev=; }
mbps() { dd if="$1" of=/dev/null bs=1M 2>&1 | awk '/copied/ {print $(NF-1), $NF}'; }

printf '%-9s %3s %14s %14s %8s %8s %8s\n' mode rep cold warm fuse-MiB ext4-s ext4-MiB
for rep in $(seq 1 "$reps"); do
  for mode in buffered direct; do
    flag=(); [[ $mode == direct ]] && flag=(--direct-io)
    drop; attach "${flag[@]}"
    cold=$(mbps "$dev"); c1=$(cached_mib); warm=$(mbps "$dev")
    detach; drop; attach "${flag[@]}"
    mount -o ro "$dev" "$mnt"
    t0=$(date +%s.%N)
    find "$mnt" -type f -exec cat {} + >/dev/null
    t1=$(date +%s.%N); e1=$(cached_mib)
    umount "$mnt"; detach
    printf '%-9s %3s %14s %14s %8d %8.2f %8d\n' "$mode" "$rep" "$cold" "$warm" \
      "$c1" "$(echo "$t1 - $t0" | bc)" "$e1"
  done
done
