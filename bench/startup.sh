#!/usr/bin/env bash
# Start-up time of bin/partview against the alternatives it was chosen over; the numbers and the
# reasoning are in cli/README.md. Needs hyperfine (apt-get install hyperfine), python3 and a built
# jar (./mvnw -B -DskipTests package). Usage: bench/startup.sh [RUNS]
set -euo pipefail -f # -f: the JVM options below hold a literal "*"
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/cli/target/partview.jar
jsa=${jar%.jar}.jsa
runs=${1:-40}
[[ -f $jar && -f $jsa ]] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# bin/partview's flags, without and with C1 only, so each variant differs in one thing.
base="-XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr"
c1=-XX:TieredStopAtLevel=1
# The dynamic archive the first launcher made on its first run (JDK 17 cannot put picocli in it).
# shellcheck disable=SC2086
java $base $c1 -XX:ArchiveClassesAtExit="$work/dynamic.jsa" -jar "$jar" --help >/dev/null

for args in --version --help; do
  echo "partview $args, $runs runs each, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  hyperfine -N -w 5 -r "$runs" --export-json "$work/out.json" \
    -n "java -jar, no flags" "java -jar $jar $args" \
    -n "serial GC + C1, no CDS at all" "java $base $c1 -Xshare:off -jar $jar $args" \
    -n "serial GC + C1, JDK default CDS" "java $base $c1 -jar $jar $args" \
    -n "serial GC + C1, dynamic archive" "java $base $c1 -XX:SharedArchiveFile=$work/dynamic.jsa -jar $jar $args" \
    -n "serial GC + C1, static AppCDS" "java $base $c1 -XX:SharedArchiveFile=$jsa -jar $jar $args" \
    -n "serial GC + C2, static AppCDS" "java $base -XX:SharedArchiveFile=$jsa -jar $jar $args" \
    -n "bin/partview (C1, static AppCDS)" "$root/bin/partview $args" >/dev/null
  python3 - "$work/out.json" <<'PY'
import json, statistics, sys
print(f"| {'variant':34} | median ms | min ms | CPU ms |")
print(f"|{'-' * 36}|----------:|-------:|-------:|")
for r in json.load(open(sys.argv[1]))["results"]:
    t = r["times"]
    cpu = (r["user"] + r["system"]) * 1000  # mean user + system time: less sensitive to load
    print(f"| {r['command']:34} | {statistics.median(t) * 1000:9.0f} | {min(t) * 1000:6.0f} | {cpu:6.0f} |")
PY
done
