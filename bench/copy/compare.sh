#!/usr/bin/env bash
# Runs bench/copy/copyinto.c's modes in turns on one image (made here, 600 MiB with 512 MiB of
# random data from 1 MiB, unless IMAGE is given), `rm` and `sync` before each run; prints each
# mode's times sorted. Usage: bench/copy/compare.sh [ROUNDS] [IMAGE] [MODES...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-5}
work=$(mktemp -d /tmp/partview-copy.XXXXXX)
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/copyinto" "$here/copyinto.c" -lpthread
img=${2:-}
if [[ -z $img ]]; then
  img=$work/disk.img
  head -c $((513 << 20)) /dev/urandom >"$img"
fi
shift 2 2>/dev/null || shift $#
modes=("${@:-rw send mmap1 mmap2 fmap2}")
read -ra modes <<<"${modes[*]}"
declare -A times
for ((i = 0; i < rounds; i++)); do
  for ((k = 0; k < ${#modes[@]}; k++)); do
    m=${modes[$(((i + k) % ${#modes[@]}))]}
    rm -f "$work/out"; cat "$img" >/dev/null; sync
    times[$m]+="$("$work/copyinto" "$m" "$img" "$work/out" | awk '{ print $2 }') "
  done
done
for m in "${modes[@]}"; do
  printf '%-6s %s ms\n' "$m" "$(tr ' ' '\n' <<<"${times[$m]}" | grep . | sort -n | tr '\n' ' ')"
done
