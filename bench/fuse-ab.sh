#!/usr/bin/env bash
# First reads through fresh mounts, in alternating order: partview, the C peer with pread (what
# bench/run compares against), and the C peer answering with read_buf + splice_write (partview's
# way). Each run: mount, dd bs=1M of p1 to /dev/null, the filesystem process's CPU time (user +
# system, /proc/PID/stat) during that dd, unmount. Prints every run and the medians.
#
#   bench/fuse-ab.sh [ROUNDS]     as root, after one bench/run (it uses bench/work/read-512.img and
#                                 the peer bench/run built, bench/work/offsetfs)
#
# PARTVIEW_MOUNT_OPTS adds options to partview's mount (e.g. "-o max_background=6"), to compare
# one against the RESULTS.md figures of another batch.
set -euo pipefail
export LC_ALL=C
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
work=$root/bench/work
img=$work/read-512.img peer=$work/offsetfs
rounds=${1:-9}
[[ $(id -u) -eq 0 ]] || { echo "fuse-ab.sh: needs root (FUSE mounts)" >&2; exit 4; }
for f in "$img" "$peer"; do
  [[ -f $f ]] || { echo "fuse-ab.sh: $f is missing: run bench/run once first" >&2; exit 4; }
done
[[ $peer -nt $root/bench/peer/offsetfs.c ]] ||
  { echo "fuse-ab.sh: $peer is older than its source: run bench/run once first" >&2; exit 4; }
start=$((1 << 20)) len=$((512 << 20)) # p1 of bench/run's image
pv_mnt=$(mktemp -d) peer_mnt=$(mktemp -d)
cleanup() {
  mountpoint -q "$pv_mnt" && "$root/bin/partview" umount "$pv_mnt"
  mountpoint -q "$peer_mnt" && fusermount -u "$peer_mnt"
  rmdir "$pv_mnt" "$peer_mnt"
}
trap cleanup EXIT

hz=$(getconf CLK_TCK)
cpu_ms() { awk -v hz="$hz" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }
rate() { dd if="$1" of=/dev/null bs=1M 2>&1 | awk '/copied/ { printf "%.0f", $1 / $(NF - 3) / 1e6 }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# "MB/s/CPU-ms" of one first read through the filesystem at $1 served by process $2
measure() { local c0 r; c0=$(cpu_ms "$2"); r=$(rate "$1/p1"); echo "$r/$(($(cpu_ms "$2") - c0))"; }

pv_run() {
  # shellcheck disable=SC2086 # the options are words
  "$root/bin/partview" mount ${PARTVIEW_MOUNT_OPTS:-} "$img" "$pv_mnt"
  measure "$pv_mnt" "$(pgrep -f -- "--daemon-child .*$pv_mnt\$" | head -1)"
  "$root/bin/partview" umount "$pv_mnt"
}
peer_run() { # $1: 0 = pread, 1 = read_buf + splice_write
  local opts=ro pid
  ((${1})) && opts=ro,splice_write
  OFFSETFS_READ_BUF=$1 "$peer" "$img" $start $len "$peer_mnt" -o $opts
  pid=$(pgrep -f -- "^$peer .* $peer_mnt -o $opts\$" | head -1)
  measure "$peer_mnt" "$pid"
  fusermount -u "$peer_mnt"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
}

cat "$img" >/dev/null
declare -a pv pread splice
for ((i = 0; i < rounds; i++)); do
  pv+=("$(pv_run)") pread+=("$(peer_run 0)") splice+=("$(peer_run 1)")
done
echo "fuse-ab.sh: $rounds rounds, p1 = 512 MiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "per run MB/s/CPU-ms, then medians:"
for name in pv pread splice; do
  declare -n runs=$name
  printf '%-7s %s | %s MB/s, %s ms\n' "$name" "${runs[*]}" \
    "$(median "${runs[@]%%/*}")" "$(median "${runs[@]##*/}")"
done
