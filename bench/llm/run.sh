#!/usr/bin/env bash
# LLM-dispatch benchmark (issue 3): see bench/llm/README.md.
#   bench/llm/run.sh                                     # ~3.5 minutes, all three runs
#   BENCH_LLM_SECONDS=15 BENCH_LLM_OVH_SECONDS=10 bench/llm/run.sh   # quick
# Builds target/argus-gateway.jar only if it is missing, runs from a private copy of it (others rebuild
# target/ meanwhile), one JVM per run; writes bench/results/llm-<UTC>.txt (+ per-run gateway and GC logs).
# Bounded by BENCH_LLM_MAX_S.
set -euo pipefail

NAME=bench/llm
TMP_PREFIX=argus-llm-bench
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

# "limits" stands for one run per limit-model variant (LlmBench.LimitRuns.VARIANTS), each in its own JVM.
LIMIT_RUNS="limit:token-bucket,limit:token-bucket-undeclared,limit:bucket-capacity-1,limit:fixed-minute,limit:quantized-second,limit:sliding-10s,limit:concurrency,limit:tpm,limit:shared-account,limit:hostile"
RUN_LIST="${BENCH_LLM_RUNS:-quota,revoked,overhead}"
RUN_LIST="${RUN_LIST//limits/$LIMIT_RUNS}"
N_LIMIT=$(( $(grep -o 'limit:' <<< "$RUN_LIST" | wc -l) ))

# Defaults: ~65 s + ~65 s + ~70 s of load, plus start-up and compilation of the single-file program;
# each limit run ~35 s of load (+ up to 1 s aligning; fixed-minute 65 s + up to 60 s) plus start-up, which
# took up to ~60 s on a starved machine.
DEFAULT_MAX=$(( ${BENCH_LLM_SECONDS:-60} * 2 + ${BENCH_LLM_OVH_SECONDS:-25} * 2 + 180 + N_LIMIT * (${BENCH_LLM_LIMIT_SECONDS:-30} + 90) + 120 ))
MAX_S="${BENCH_LLM_MAX_S:-$DEFAULT_MAX}"
END=$(( $(date +%s) + MAX_S ))

mkdir -p "$RESULTS"
OUT="$RESULTS/llm-$TS.txt"
LOG="$RESULTS/llm-$TS-gateway.log"
export BENCH_LLM_GIT="$COMMIT, jar $(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)"

# BENCH_LLM_NICE (e.g. -10, needs root): run the benchmark JVMs at that niceness, so other processes on a
# shared machine disturb their latencies less. Off by default; the report says when it was used.
NICE=()
if [[ -n "${BENCH_LLM_NICE:-}" ]]; then
  NICE=(nice -n "$BENCH_LLM_NICE")
  export BENCH_LLM_GIT="$BENCH_LLM_GIT; niceness $BENCH_LLM_NICE"
fi

# Each run in its own JVM: a run must not inherit the previous one's heap (its old generation, the
# process-wide Prometheus registry with one detection_total series per camera) or its GC pauses.
IFS=',' read -r -a RUNS <<< "$RUN_LIST"
cd "$ROOT"
RC=0
n=0
for run in "${RUNS[@]}"; do
  run="$(echo "$run" | tr -d ' ')"
  [[ -z "$run" ]] && continue
  n=$((n + 1))
  left=$(( END - $(date +%s) ))
  if (( left < 20 )); then
    echo "bench/llm: no time left for run '$run' (BENCH_LLM_MAX_S=$MAX_S)" >&2
    RC=124
    break
  fi
  PART="$TMP/part-$n.txt"
  tag="${run//:/-}" # file-safe (a ':' ends -Xlog's file name)
  set +e
  BENCH_LLM_RUNS="$run" BENCH_LLM_HOME="$HERE" BENCH_LLM_PROVIDER_LOG="$RESULTS/llm-$TS-$tag-provider.log" timeout --kill-after=15 "$left" "${NICE[@]}" \
    java -Xms2g -Xmx2g -XX:+UseG1GC ${BENCH_LLM_JAVA_OPTS:--XX:MaxGCPauseMillis=20} "-Xlog:gc,safepoint:file=$RESULTS/llm-$TS-$tag-gc.log:uptime,tid" \
      -Dlogback.configurationFile="$HERE/logback.xml" -DBENCH_LOG_FILE="$RESULTS/llm-$TS-$tag-gateway.log" \
      -cp "$COPY" "$HERE/LlmBench.java" --out "$PART" --part &
  BENCH_PID=$!
  wait "$BENCH_PID"
  rc=$?
  set -e
  BENCH_PID=""
  [[ -f "$PART" ]] && { cat "$PART"; echo; } >> "$OUT"
  if [[ "$rc" == 124 || "$rc" == 137 ]]; then
    echo "bench/llm: run '$run' stopped by the ${MAX_S} s time limit (BENCH_LLM_MAX_S)" >&2
    RC=$rc
    break
  fi
  [[ "$rc" != 0 ]] && RC=$rc
done

if grep -q '^ROW ' "$TMP"/part-*.txt 2>/dev/null; then
  {
    echo "== limit models (5 keys, demand 3x allowed) =="
    echo "| variant                  | known | admitted/allowed | 429 share | age p50 ms | age p95 ms | revoked calls |"
    echo "|---|---|---|---|---|---|---|"
    for f in $(ls "$TMP"/part-*.txt | sort -V); do grep -h '^ROW ' "$f"; done | sed 's/^ROW //'
    echo
  } | tee -a "$OUT"
fi
{
  echo "== goals (all runs) =="
  ls "$TMP"/part-*.txt 2>/dev/null | sort -V | xargs -r grep -h -E '^  (MET|MISS) ' || echo "  (no run completed)"
} | tee -a "$OUT"
echo "report: $OUT"
echo "logs:   $RESULTS/llm-$TS-<run>-gateway.log, $RESULTS/llm-$TS-<run>-gc.log"
exit "$RC"
