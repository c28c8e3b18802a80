#!/usr/bin/env bash
# The detection bridge's decode per record (issue 14 point 2): the old tree path vs the one-pass reader,
# same JVM, same records, interleaved, median of three. Writes bench/results/bridge-decode-<UTC>.txt.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAR="$ROOT/target/argus-gateway.jar"
[[ -f "$JAR" ]] || (cd "$ROOT" && mvn -B -q -o -DskipTests -DskipITs package)
OUT="$ROOT/bench/results/bridge-decode-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "# bridge decode benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo ' (dirty)')"
  echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -srm); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# java: $(java -version 2>&1 | head -1)"
  java -Xms512m -Xmx512m -XX:+UseParallelGC -cp "$JAR" "$HERE/DecodeBench.java"
} | tee "$OUT"
echo "report: $OUT"
