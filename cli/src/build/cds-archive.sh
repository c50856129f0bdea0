#!/usr/bin/env bash
# Makes JAR's class-data-sharing archive, JAR with .jsa for .jar, which bin/partview maps at start-up.
# Run by the build (cli/pom.xml, package phase) right after the shaded jar is made:
#   cds-archive.sh JAVA JAR
#
# A static AppCDS archive (-Xshare:dump with a class list from a few training runs), not a dynamic
# -XX:ArchiveClassesAtExit one: picocli's classes are class-file version 49, and JDK 17 archives
# such old classes only statically; a dynamic archive leaves the biggest class of all
# (picocli.CommandLine) to be parsed and verified on every run. Numbers: cli/README.md.
#
# The archive is only valid for this jar (path, size, mtime) and this JDK build; the JVM checks
# both and ignores a stale one, but then runs with no class sharing at all, slower than with the
# JDK's own default archive. So JAR.jsa.key records the real paths of JAVA and JAR, and the
# launcher skips the archive up front under another java or after the checkout has moved.
set -euo pipefail

java=$(readlink -f "$1")
jar=$(readlink -f "$2") # as bin/partview names it: the JVM compares the path literally
jsa=${jar%.jar}.jsa
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Must match bin/partview: the archive records the GC it was dumped with (SerialGC: no heap region
# is archived, which JDK 17 could only map under G1 anyway; measured no faster).
flags=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto)
# And the access options bin/partview and DaemonLauncher give Java 24 and later: the JVM compares
# the module options (native access) of the dump with those of the run, and on a mismatch logs
# "[error][cds] Mismatched values for property jdk.module.enable.native.access" on every start.
# The version as the JVM itself reports it, as DaemonLauncher decides (Runtime.version()): one
# more java run, at build time only (bin/partview reads the JDK's release file instead).
spec=$("$java" -XshowSettings:properties -version 2>&1 |
  sed -n 's/^ *java.specification.version = //p') ||
  echo "cds-archive.sh: WARNING: $java -version failed; dumping without Java 24's access options" >&2
if [[ $spec =~ ^[0-9]+$ ]] && ((spec >= 24)); then
  flags+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
fi

# A tiny MBR image (one Linux partition at LBA 2048) so that `list` runs its real path once,
# table reader and JSON writer included. Written with printf: the build needs no disk tools.
img=$work/train.img
truncate -s 4M "$img"
printf '\x00\x00\x00\x00\x83\x00\x00\x00\x00\x08\x00\x00\x00\x18\x00\x00' |
  dd of="$img" bs=1 seek=446 conv=notrunc status=none
printf '\x55\xaa' | dd of="$img" bs=1 seek=510 conv=notrunc status=none
# Some data in the partition, so that extract's training run copies something (the kernel-copy path).
printf 'partview training data' | dd of="$img" bs=1 seek=$((2048 * 512)) conv=notrunc status=none

# Each run writes its own list; the exit status does not matter (usage errors are trained too).
n=0
train() {
  n=$((n + 1))
  "$java" "${flags[@]}" -XX:DumpLoadedClassList="$work/$n.classlist" -jar "$jar" "$@" \
    >/dev/null 2>&1 || true
}
train --help
train --version
train --no-such-option
train list --help
train list "$img"
train list --json "$img"
train list "$work/missing.img"
train extract --help
train extract "$img" 1 -o "$work/p1.img" --quiet

# Merge, keeping first occurrences in order. Newer JDKs (21+) number the classes of each run
# ("name id: N") and add "@cp CLASS INDEX..." lines: drop the numbers, one @cp line per class.
# The merged list must not match this glob: cat may expand it after awk's redirection has created
# the output, and then reads awk's half-written output back in, a line cut at a 4 KiB buffer edge.
cat "$work"/*.classlist |
  awk '/^#/ { next }
       /^[^@][^ ]* id: [0-9]+$/ { sub(/ id: [0-9]+$/, "") }
       /^@cp / { if (cp[$2]++) next }
       !seen[$0]++' >"$work/merged.lst"

# Dump into a temporary file beside it and rename: a half-written archive can crash the JVM that
# maps it (seen: SIGBUS on a truncated one), so the launcher must only ever see a complete file.
rm -f "$jsa" "$jsa.key"
tmp=$jsa.tmp.$$
if ! "$java" "${flags[@]}" -Xshare:dump -XX:SharedClassListFile="$work/merged.lst" \
  -XX:SharedArchiveFile="$tmp" -cp "$jar" >"$work/dump.log" 2>&1; then
  # Only start-up suffers without the archive (bin/partview runs without it): say why, loudly,
  # but do not fail a build on a JDK whose dump format moved on.
  rm -f "$tmp"
  tail -n 5 "$work/dump.log" >&2
  echo "cds-archive.sh: WARNING: -Xshare:dump failed with $java; no $jsa" >&2
  # Under CI the JDK is the one this script is made for: a failure there is a bug (as a merge
  # that read its own output once was), and a silently slower start-up would hide it.
  [[ -z ${CI:-} ]] || exit 1
  exit 0
fi
mv -f "$tmp" "$jsa"
printf '%s\n' "$java" "$jar" >"$jsa.key"
echo "cds-archive.sh: $jsa: $(grep -c . "$work/merged.lst") class-list lines from $n runs"
