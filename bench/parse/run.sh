#!/usr/bin/env bash
# CPU per frame read at ingest (a 100-frame JSON body) and in the bridge (one record), for one or more gateway
# jars, each in its own JVM, the jars alternating round by round (BENCH_PARSE_ROUNDS, 3), so drift on the
# machine touches all alike; the report gives each jar's median and the ratios to the first (the reference).
#   bench/parse/run.sh                                   # target/argus-gateway.jar alone
#   BENCH_PARSE_JARS="/tmp/ref.jar:e83ef51 target/argus-gateway.jar:HEAD" bench/parse/run.sh
# Writes bench/results/parse-<UTC>.txt.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JARS="${BENCH_PARSE_JARS:-$ROOT/target/argus-gateway.jar:HEAD}"
ROUNDS="${BENCH_PARSE_ROUNDS:-5}"
[[ -f "$ROOT/target/argus-gateway.jar" ]] || (cd "$ROOT" && mvn -B -q -DskipTests package)
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/bench/results/parse-$STAMP.txt"
HEAD_COMMIT="$(git -C "$ROOT" rev-parse --short HEAD)"
declare -A INGEST BRIDGE
{
  echo "# frame parse benchmark $STAMP"
  echo "# machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# java: $(java -version 2>&1 | head -1); HEAD $HEAD_COMMIT"
  echo "# jars (the first is the reference): $JARS"
  for ((round = 1; round <= ROUNDS; round++)); do
    for spec in $JARS; do
      jar="${spec%%:*}"; name="${spec##*:}"; [[ "$name" == HEAD ]] && name="$HEAD_COMMIT"
      line="$(java -Xms512m -Xmx512m -XX:+UseParallelGC -cp "$jar" "$HERE/ParseBench.java" | grep '^PARSE')"
      ingest="$(sed -E 's/.*ingest_ns=([0-9.]+).*/\1/' <<<"$line")"; bridge="$(sed -E 's/.*bridge_ns=([0-9.]+).*/\1/' <<<"$line")"
      echo "round $round $name: $line"
      INGEST[$name]="${INGEST[$name]:-} $ingest"; BRIDGE[$name]="${BRIDGE[$name]:-} $bridge"
    done
  done
  median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
  ref=""
  for spec in $JARS; do
    name="${spec##*:}"; [[ "$name" == HEAD ]] && name="$HEAD_COMMIT"
    mi="$(median "${INGEST[$name]}")"; mb="$(median "${BRIDGE[$name]}")"
    [[ -n "$ref" ]] || { ref="$name"; ri="$mi"; rb="$mb"; }
    paired="$(paste <(tr ' ' '\n' <<<"${INGEST[$name]}" | grep -v '^$') <(tr ' ' '\n' <<<"${INGEST[$ref]}" | grep -v '^$') \
      | awk '{printf "%.3f ", $1/$2}')"
    echo "median $name: ingest ${mi} ns/frame (rounds:${INGEST[$name]}), bridge ${mb} ns/record (rounds:${BRIDGE[$name]}); ÷ $ref: ingest $(awk -v a="$mi" -v b="$ri" 'BEGIN {printf "%.2f", a/b}'), bridge $(awk -v a="$mb" -v b="$rb" 'BEGIN {printf "%.2f", a/b}'); ingest round by round ÷ $ref: $paired(median $(median "$paired"))"
  done
} 2>/dev/null | tee "$OUT"
echo "report: $OUT"
