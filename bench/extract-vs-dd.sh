#!/usr/bin/env bash
# Times `partview extract` of a 512 MiB partition against `dd bs=4M` of the same byte range, both
# reading from the page cache and writing to the same filesystem, alternating runs.
# Usage: bench/extract-vs-dd.sh [ROUNDS] [WORKDIR]   (WORKDIR: default a new dir under /tmp)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-11}
work=${2:-$(mktemp -d /tmp/partview-bench.XXXXXX)}
mkdir -p "$work"
img=$work/disk.img out=$work/out.img
mib=512 start=$((1 << 20))

if [[ ! -f $img ]]; then
  # 1 MiB for the MBR, then 512 MiB of random data: no zero block anywhere, so both tools copy it all.
  head -c $((start + (mib << 20))) /dev/urandom > "$img"
  printf 'label: dos\nstart=2048, size=%d, type=83\n' $((mib * 2048)) | sfdisk -q --wipe never "$img"
fi
load_before=$(cut -d" " -f1-3 /proc/loadavg)
cat "$img" > /dev/null # into the page cache
"$root/bin/partview" --version > /dev/null # the launcher's class-data archive, made on a first run

t() { # prints "wall user+sys" of a command, in seconds
  /usr/bin/time -f '%e %U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}
dd_times=() pv_times=() dd_cpu=() pv_cpu=()
for ((i = 0; i < rounds; i++)); do
  rm -f "$out"; sync
  read -r w c < <(t dd if="$img" of="$out" bs=4M iflag=skip_bytes,count_bytes skip=$start count=$((mib << 20)) status=none)
  dd_times+=("$w") dd_cpu+=("$c")
  rm -f "$out"; sync
  read -r w c < <(t "$root/bin/partview" extract "$img" 1 -o "$out" --quiet)
  pv_times+=("$w") pv_cpu+=("$c")
done
cmp "$out" <(dd if="$img" bs=4M iflag=skip_bytes,count_bytes skip=$start count=$((mib << 20)) status=none)
rm -f "$out"

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
least() { printf '%s\n' "$@" | sort -n | head -1; }
dm=$(median "${dd_times[@]}") pm=$(median "${pv_times[@]}")
echo "rounds: $rounds, partition: $mib MiB, load average before: $load_before"
echo "dd bs=4M          wall median $dm s  min $(least "${dd_times[@]}") s  cpu median $(median "${dd_cpu[@]}") s"
echo "partview extract  wall median $pm s  min $(least "${pv_times[@]}") s  cpu median $(median "${pv_cpu[@]}") s"
awk -v d="$dm" -v p="$pm" 'BEGIN { printf "speed vs dd (median wall): %.2fx\n", d / p }'
