#!/usr/bin/env bash
# Times `partview extract` of a partition (512 MiB unless MIB says otherwise) against `dd bs=4M` of the same byte range, both
# reading from the page cache and writing to the same filesystem, in alternating runs (sync before
# each; the three take turns going first). Also times extract writing from one thread
# (-Dpartview.extract.copy=map: write(2) from a mapping of the image) next to its default, two
# threads reading into a mapping of the output.
# Usage: bench/extract-vs-dd.sh [ROUNDS] [WORKDIR] [MIB]   (WORKDIR: kept; default a temporary dir;
#        MIB: partition size, default 512)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-11}
if [[ -n ${2:-} ]]; then
  work=$2 # kept, with its image, for the next run
  mkdir -p "$work"
else
  work=$(mktemp -d /tmp/partview-bench.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
img=$work/disk.img out=$work/out.img
mib=${3:-512} start=$((1 << 20))

if [[ ! -f $img ]]; then
  # 1 MiB for the MBR, then 512 MiB of random data: no zero block anywhere, so every tool copies it all.
  head -c $((start + (mib << 20))) /dev/urandom > "$img"
  printf 'label: dos\nstart=2048, size=%d, type=83\n' $((mib * 2048)) | sfdisk -q --wipe never "$img"
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$img" > /dev/null # into the page cache
# One extract first, not timed: the JVM's files into the page cache, as for every later run.
rm -f "$out"; "$root/bin/partview" extract "$img" 1 -o "$out" --quiet; rm -f "$out"

names=("dd bs=4M" "partview extract" "extract (1 thread)")
run() {
  case $1 in
    0) dd if="$img" of="$out" bs=4M iflag=skip_bytes,count_bytes skip=$start count=$((mib << 20)) status=none ;;
    1) "$root/bin/partview" extract "$img" 1 -o "$out" --quiet ;;
    2) PARTVIEW_JAVA_OPTS=-Dpartview.extract.copy=map "$root/bin/partview" extract "$img" 1 -o "$out" --quiet ;;
  esac
}
declare -A wall cpu
for ((i = 0; i < rounds; i++)); do
  for k in 0 1 2; do
    t=$(((i + k) % 3))
    rm -f "$out"; sync
    read -r w c < <(/usr/bin/time -f '%e %U %S' bash -c "$(declare -f run); img='$img' out='$out' start=$start mib=$mib root='$root'; run $t" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }')
    wall[$t]+="$w " cpu[$t]+="$c "
    if ((t > 0)); then cmp -s "$out" <(dd if="$img" bs=4M iflag=skip_bytes,count_bytes skip=$start count=$((mib << 20)) status=none) || { echo "MISMATCH: ${names[$t]}" >&2; exit 1; }; fi
  done
done
rm -f "$out"

median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
least() { tr ' ' '\n' <<<"$1" | grep . | sort -n | head -1; }
echo "rounds: $rounds, partition: $mib MiB, load average before: $load_before"
for t in 0 1 2; do
  printf '%-20s wall median %s s  min %s s   cpu (user+sys) median %s s\n' "${names[$t]}" \
    "$(median "${wall[$t]}")" "$(least "${wall[$t]}")" "$(median "${cpu[$t]}")"
done
awk -v d="$(median "${wall[0]}")" -v p="$(median "${wall[1]}")" -v b="$(median "${wall[2]}")" \
  'BEGIN { printf "speed vs dd (median wall): extract %.2fx, one thread %.2fx\n", d / p, d / b }'
