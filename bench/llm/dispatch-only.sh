#!/usr/bin/env bash
# The dispatcher alone (issue 10, point 4): see bench/llm/README.md, "Dispatch overhead".
#   bench/llm/dispatch-only.sh                         # 3 runs x (5 s warm-up + 20 s), about 1.5 minutes
#   BENCH_DISP_ONLY_RATE=500 BENCH_DISP_ONLY_SECONDS=20 BENCH_DISP_ONLY_REPEAT=3 bench/llm/dispatch-only.sh
# Tasks go straight into the Dispatcher on its own event loop (no ingest, Kafka, bridge or Redis), through the
# real key pool, breakers and HTTP client, to the simulated provider answering in ~5 ms in the same JVM
# (src/test/java/dev/argus/llm/DispatchOverheadRun.java). The whole gateway's figure is bench/llm/dispatch.sh.
# Writes bench/results/llm-dispatch-only-<UTC>.md: machine, commit, load, the median of the runs and each run.
set -euo pipefail
NAME=bench/llm/dispatch-only
TMP_PREFIX=argus-llm-dispatch-only
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"
REPEAT="${BENCH_DISP_ONLY_REPEAT:-3}"
RATE="${BENCH_DISP_ONLY_RATE:-500}"
WINDOW="${BENCH_DISP_ONLY_SECONDS:-20}"
WARMUP="${BENCH_DISP_ONLY_WARMUP_S:-5}"
MEDIAN_MS="${BENCH_DISP_ONLY_MEDIAN_MS:-5}"
# the harness is a test class: compiled here when missing, copied beside the jar copy
if [[ ! -f "$ROOT/target/test-classes/dev/argus/llm/DispatchOverheadRun.class" ]]; then
  echo "$NAME: compiling the test classes (mvn -B -q -o test-compile)" >&2
  (cd "$ROOT" && timeout 600 mvn -B -q -o test-compile)
fi
cp -r "$ROOT/target/test-classes" "$TMP/test-classes"
mkdir -p "$RESULTS"
OUT="$RESULTS/llm-dispatch-only-$TS.md"
COMMIT="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD -- src 2>/dev/null || echo '+uncommitted src changes')"
{
  echo "# Dispatch overhead, the dispatcher alone, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) memory, $(java -version 2>&1 | head -1)"
  echo "- commit: $COMMIT, jar $(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)"
  echo "- load: $RATE tasks/s for $WINDOW s after $WARMUP s warm-up, provider median $MEDIAN_MS ms; $REPEAT runs, each in its own JVM"
  echo "- machine load before: $(uptime)"
  echo
} > "$OUT"
RC=0
for i in $(seq 1 "$REPEAT"); do
  echo "- run $i, machine load before: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$TMP/loads"
  set +e
  timeout --kill-after=15 $(( WINDOW + WARMUP + 120 )) java -Xms1g -Xmx1g -XX:+UseG1GC -Dlogback.configurationFile="$HERE/logback.xml" \
    -DBENCH_LOG_FILE="$TMP/gateway-$i.log" -cp "$TMP/test-classes:$COPY" dev.argus.llm.DispatchOverheadRun \
    "$RATE" "$WARMUP" "$WINDOW" "$MEDIAN_MS" > "$TMP/out-$i.txt" 2>&1 &
  BENCH_PID=$!
  wait "$BENCH_PID"
  rc=$?
  set -e
  BENCH_PID=""
  [[ "$rc" != 0 ]] && { RC=$rc; echo "run $i failed ($rc):" >&2; tail -20 "$TMP/out-$i.txt" >&2; }
  grep -h '^DISPATCH-ONLY ' "$TMP/out-$i.txt" | sed "s/^DISPATCH-ONLY /run=$i /" >> "$TMP/rows" || true
done
{
  echo "## Median of $(wc -l < "$TMP/rows" 2>/dev/null || echo 0) runs"
  echo
  echo "| figure | median |"
  echo "|---|---|"
  echo "| dispatch overhead p50, histogram \`argus_llm_dispatch_overhead_seconds\` (bucket upper bound) | $(median hist_p50_ms) ms |"
  echo "| dispatch overhead p99 (goal < 1 ms) | $(median hist_p99_ms) ms |"
  echo "| calls above 1 ms, the histogram's 1 ms bucket (p99 < 1 ms when under 1%) | $(median over_1ms_pct) % |"
  echo "| dispatch overhead p99.9 | $(median hist_p999_ms) ms |"
  echo "| answered by the LLM per second | $(median answered_per_s) |"
  echo "| reference: p99 lateness of a 10 ms timer on the dispatcher's Vert.x | $(median timer_lag_p99_ms) ms |"
  echo
  runs_section_head
  for i in $(seq 1 "$REPEAT"); do grep -h '^dispatcher alone\|^overhead' "$TMP/out-$i.txt" 2>/dev/null; done
  echo '```'
} >> "$OUT"
sed -n '/^## Median/,/^## Runs/p' "$OUT"
echo "report: $OUT"
exit "$RC"
