#!/usr/bin/env bash
# Dispatch-overhead benchmark (issue 10, point 4): see bench/llm/README.md, "Dispatch overhead".
#   bench/llm/dispatch.sh                                    # 3 runs x (JIT warm-up + 5 s + 20 s), about 10 minutes
# Each run first loads the gateway until its JIT settles (under 1 s of compilation in 10 s; at most
# BENCH_LLM_JIT_MAX_S, 360 s; the report's "JIT warm-up" line says how long and whether it settled).
#   BENCH_LLM_DISP_SECONDS=8 BENCH_LLM_DISP_REPEAT=1 bench/llm/dispatch.sh   # smoke
# Each run in its own JVM (LlmBench's "dispatch" run: 500 tasks/s through the whole gateway against the simulated
# provider answering in 5 ms); the report takes the median of the runs and goes to
# bench/results/llm-dispatch-<UTC>.md, naming the machine, the commit and the load before and after each run.
# BENCH_GC: the JVM's collector flag (default -XX:+UseG1GC); BENCH_JAVA_OPTS: more JVM flags.
# BENCH_JAR: use this jar (default target/argus-gateway.jar, built only if missing); BENCH_COMMIT: the commit it was built from.
set -euo pipefail

NAME=bench/llm/dispatch
TMP_PREFIX=argus-llm-dispatch
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"
REPEAT="${BENCH_LLM_DISP_REPEAT:-3}"
SECONDS_EACH=$(( ${BENCH_LLM_DISP_SECONDS:-20} + ${BENCH_LLM_DISP_WARMUP_S:-5} ))

mkdir -p "$RESULTS"
OUT="$RESULTS/llm-dispatch-$TS.md"
export BENCH_LLM_GIT="$COMMIT, jar $(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)"
{
  echo "# Dispatch overhead, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) memory, $(java -version 2>&1 | head -1)"
  echo "- commit: $BENCH_LLM_GIT"
  echo "- load: ${BENCH_LLM_DISP_RATE:-500} tasks/s for ${BENCH_LLM_DISP_SECONDS:-20} s after ${BENCH_LLM_DISP_WARMUP_S:-5} s warm-up, provider median ${BENCH_LLM_DISP_MEDIAN_MS:-5} ms; $REPEAT runs, each in its own JVM"
  echo "- machine load before: $(uptime)"
  echo
} > "$OUT"

RC=0
for i in $(seq 1 "$REPEAT"); do
  PART="$TMP/part-$i.txt"
  echo "- run $i, machine load before: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$TMP/loads"
  set +e
  BENCH_LLM_RUNS=dispatch timeout --kill-after=15 $(( SECONDS_EACH + 120 + ${BENCH_LLM_JIT_MAX_S:-360} )) \
    java -Xms2g -Xmx2g ${BENCH_GC:--XX:+UseG1GC} ${BENCH_JAVA_OPTS:-} \
      -Dlogback.configurationFile="$HERE/logback.xml" -DBENCH_LOG_FILE="$RESULTS/llm-dispatch-$TS-$i-gateway.log" \
      -cp "$COPY" "$HERE/LlmBench.java" --out "$PART" --part > "$TMP/console-$i.txt" 2>&1 &
  BENCH_PID=$!
  wait "$BENCH_PID"
  rc=$?
  set -e
  BENCH_PID=""
  [[ "$rc" != 0 ]] && { RC=$rc; echo "run $i failed ($rc); console:" >&2; tail -20 "$TMP/console-$i.txt" >&2; }
  grep -h '^DISPATCH-ROW ' "$PART" 2>/dev/null | sed "s/^DISPATCH-ROW /run=$i /" >> "$TMP/rows" || true
done

{
  echo "## Median of $(wc -l < "$TMP/rows" 2>/dev/null || echo 0) runs"
  echo
  echo "| figure | median |"
  echo "|---|---|"
  echo "| dispatch overhead p99, histogram \`argus_llm_dispatch_overhead_seconds\` (bucket upper bound; goal < 1 ms) | $(median hist_p99_ms) ms |"
  echo "| calls above 1 ms, the histogram's 1 ms bucket (p99 < 1 ms when under 1%) | $(median over_1ms_pct) % |"
  echo "| dispatch overhead mean, histogram | $(median hist_mean_ms) ms |"
  echo "| end to end p50 / p99: ingest -> assessment minus the provider call (payload, whole ms) | $(median e2e_payload_p50_ms) / $(median e2e_payload_p99_ms) ms |"
  echo "| end to end p50 / p99: POST sent -> assessment received (in-JVM) minus latency_ms | $(median e2e_jvm_p50_ms) / $(median e2e_jvm_p99_ms) ms |"
  echo "| reference: p99 lateness of a 10 ms timer on the gateway's Vert.x (the machine's scheduling delay) | $(median timer_lag_p99_ms) ms |"
  echo
  runs_section_head
  echo '```'
  for i in $(seq 1 "$REPEAT"); do
    echo
    echo "### run $i"
    echo
    echo '```'
    sed -n '/^== run dispatch/,$p' "$TMP/part-$i.txt" 2>/dev/null | grep -v '^DISPATCH-ROW'
    echo '```'
  done
} >> "$OUT"
sed -n '/^## Median/,/^## Runs/p' "$OUT"
echo "report: $OUT"
exit "$RC"
