#!/usr/bin/env bash
# The two latencies the pipeline promises (issue 14 point 5), measured by a real SockJS client
# (bench/latency/LatencyBench.java, compiled here against the gateway's fat jar):
#   1. ingest -> SockJS: frames POSTed one per request at BENCH_LAT_RATE (1,000) frames/s, each stamped just
#      before its request; latency = its arrival on argus.detections - the stamp (one process, one clock).
#      Reference in the same run: the same frames' POST -> 202.
#   2. detection -> assessment: the gateway in --demo (BENCH_LAT_DEMO_CAMERAS 50 x BENCH_LAT_DEMO_FPS 2, the
#      simulated provider at BENCH_LAT_LLM_MS 800 ms); every assessment on argus.assessments timed from its
#      detected_at to its arrival. Reference: the provider's latency as the gateway measured it (each
#      assessment's latency_ms) and the configured latency as the floor.
# Each: one gateway (fat jar copied to a temp dir, embedded Kafka on free ports, temp data dir, in-memory
# store), a warm-up, then BENCH_LAT_RUNS (3) windows of BENCH_LAT_SECONDS (30) s; the report gives each run
# and the median. The gateway's own per-stage timers (argus_stage_seconds) are read from /metrics after
# each measurement. Report: bench/results/latency-<UTC stamp>.txt, last line SUMMARY key=value.
#
#   bench/latency/run.sh                                             # the real run (quiet machine)
#   BENCH_LAT_SECONDS=10 BENCH_LAT_RUNS=1 BENCH_LAT_WARMUP_S=5 bench/latency/run.sh   # a smoke run
#
# Knobs: BENCH_LAT_SECONDS (30), BENCH_LAT_RUNS (3), BENCH_LAT_WARMUP_S (10), BENCH_LAT_RATE (1000),
# BENCH_LAT_CAMERAS (50: 20 frames/s per camera, so the dashboard's per-camera throttle lets about one in
# five through, as a browser watching 50 busy cameras gets them), BENCH_LAT_FRAME_INTERVAL_MS (the gateway's
# dashboard.browserFrameIntervalMs; unset: its default), BENCH_LAT_DEMO_CAMERAS (50), BENCH_LAT_DEMO_FPS (2),
# BENCH_LAT_KAFKA_BOOTSTRAP (a broker of the caller's instead of the embedded one),
# BENCH_LAT_LLM_MS (800), BENCH_LAT_LLM_SIGMA (0.4; 0 for a provider that always takes BENCH_LAT_LLM_MS), BENCH_LAT_ONLY (ingest|assess: one measurement only), BENCH_LAT_JAR, BENCH_LAT_JAR_COMMIT (the commit
# BENCH_LAT_JAR was built from: the report's commit then names it, not HEAD), BENCH_LAT_HEAP (-Xmx1g),
# BENCH_LAT_LABEL (a name for this setting in the SUMMARY line), BENCH_LAT_INGEST_LINGER_MS (kafka.producer linger.ms
# of the gateway, unset: its default of 5; the 202 waits for the ingest producer's ack, so this
# is the knob between ingest throughput and the ack figure; live frames go out before the ack).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${BENCH_LAT_SECONDS:-30}
RUNS=${BENCH_LAT_RUNS:-3}
WARMUP=${BENCH_LAT_WARMUP_S:-10}   # the least warm-up; LatencyBench goes on until the JIT of gateway and client settled
CLIENT_OPTS=${BENCH_LAT_CLIENT_OPTS:--Xmx512m -XX:+UseZGC}   # the measuring client: a low-pause collector, its pauses would count as latency
RATE=${BENCH_LAT_RATE:-1000}
CAMERAS=${BENCH_LAT_CAMERAS:-50}
DEMO_CAMERAS=${BENCH_LAT_DEMO_CAMERAS:-50}
DEMO_FPS=${BENCH_LAT_DEMO_FPS:-2}
LLM_MS=${BENCH_LAT_LLM_MS:-800}
LLM_SIGMA=${BENCH_LAT_LLM_SIGMA:-0.4}   # the simulated provider's lognormal spread; 0: every call takes LLM_MS
ONLY=${BENCH_LAT_ONLY:-}
HEAP=${BENCH_LAT_HEAP:--Xmx1g}
LABEL=${BENCH_LAT_LABEL:-default}
JAR=${BENCH_LAT_JAR:-target/argus-gateway.jar}
# The commit the report names: the jar's own when the caller says which it is, else HEAD's.
COMMIT=${BENCH_LAT_JAR_COMMIT:-$(git rev-parse --short HEAD)}
[ -f "$JAR" ] || mvn -B -ntp -q -o package -DskipTests -DskipITs
DIR=$(mktemp -d /tmp/argus-latency.XXXXXX)
cp "$JAR" "$DIR/argus-gateway.jar"   # a rebuild during the run must not change the jar under it
mkdir -p "$DIR/classes"
javac -nowarn -d "$DIR/classes" -cp "$DIR/argus-gateway.jar" bench/latency/LatencyBench.java
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT=bench/results/latency-$STAMP.txt
mkdir -p bench/results
GW=
KAFKA_EXTRA=   # more of the gateway's "kafka" block (the ingest measurement's linger knob)
# BENCH_LAT_KAFKA_BOOTSTRAP: a broker the caller runs (a fresh one per run); the gateway then uses it as in
# production (kafka.mode external) and its heap holds no broker. Unset: the embedded broker in the gateway's JVM.
KAFKA_MODE=
[ -n "${BENCH_LAT_KAFKA_BOOTSTRAP:-}" ] && KAFKA_MODE="\"mode\": \"external\", \"bootstrapServers\": \"$BENCH_LAT_KAFKA_BOOTSTRAP\", "
cleanup() {
  if [ -n "$GW" ]; then
    kill "$GW" 2>/dev/null && { for _ in $(seq 1 30); do kill -0 "$GW" 2>/dev/null || break; sleep 1; done; kill -9 "$GW" 2>/dev/null || true; }
    wait "$GW" 2>/dev/null || true
  fi
  rm -rf "$DIR"
}
trap cleanup EXIT

free_ports() { python3 -c 'import socket
ss=[socket.socket() for _ in range(4)]
[s.bind(("127.0.0.1",0)) for s in ss]
print(" ".join(str(s.getsockname()[1]) for s in ss))'; }

start_gateway() { # name extra-conf-json [--demo]
  local name=$1 extra=$2 demo=${3:-}
  read -r HTTP KPORT CPORT LPORT <<< "$(free_ports)"
  rm -rf "$DIR/kafka"
  cat > "$DIR/$name.json" <<JSON
{"kafka": {${KAFKA_MODE}"embedded": {"dataDir": "$DIR/kafka", "port": $KPORT, "controllerPort": $CPORT}${KAFKA_EXTRA}},
 "redis": {"url": ""}${extra}}
JSON
  env -u ARGUS_REDIS_URL -u ARGUS_LLM_API_KEYS -u ARGUS_LLM_KEYS_FILE -u ARGUS_KAFKA_MODE -u ARGUS_KAFKA_BOOTSTRAP_SERVERS \
    -u ALGO_KAFKA_BOOTSTRAP_SERVERS -u ALGO_ENABLE_KAFKA_STREAMING -u ARGUS_ROLES -u ARGUS_DEMO ARGUS_HTTP_PORT="$HTTP" \
    java $HEAP -jar "$DIR/argus-gateway.jar" -conf "$DIR/$name.json" $demo > "$DIR/$name.log" 2>&1 &
  GW=$!
  for _ in $(seq 1 240); do
    kill -0 "$GW" 2>/dev/null || { echo "gateway exited:"; tail -30 "$DIR/$name.log"; exit 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP/health/ready")" = 200 ] && return 0
    sleep 0.5
  done
  echo "gateway not ready in 120 s:"; tail -30 "$DIR/$name.log"; exit 1
}

stop_gateway() {
  kill "$GW" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$GW" 2>/dev/null || break; sleep 1; done
  kill -9 "$GW" 2>/dev/null || true
  wait "$GW" 2>/dev/null || true
  GW=
}

# The gateway's per-stage timers over one measured window: the delta of argus_stage_seconds between the
# /metrics snapshots LatencyBench took at its edges; count, mean and p95 (from the histogram buckets, linear
# inside a bucket).
stages() { # metrics-dir
  local out
  for run in $(seq 1 "$RUNS"); do
    out=$(python3 - "$1/run$run-start.prom" "$1/run$run-end.prom" "$SECS" <<'PY'
import re, sys, collections
def read(path):
    b = collections.defaultdict(dict); s = {}; c = {}
    try:
        lines = open(path)
    except OSError:
        return b, s, c
    for line in lines:
        m = re.match(r'argus_stage_seconds_(bucket|sum|count)\{(.*)\} (\S+)', line)
        if not m: continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2))); st = labels.get("stage"); v = float(m.group(3))
        if m.group(1) == "bucket": b[st][float(labels["le"])] = v
        elif m.group(1) == "sum": s[st] = v
        else: c[st] = v
    return b, s, c
def cpu_ns(path):
    try:
        for line in open(path):
            if line.startswith("process_cpu_time_ns_total"): return float(line.split()[-1])
    except OSError:
        pass
    return None
b0, s0, c0 = read(sys.argv[1]); b1, s1, c1 = read(sys.argv[2])
if not c1:
    print("(no argus_stage_seconds in /metrics: a gateway without the per-stage timers)"); sys.exit()
parts = []
for st in ["ingest_ack", "bridge", "task_queue", "llm_call", "aggregate", "live_push"]:
    n = c1.get(st, 0) - c0.get(st, 0)
    if n <= 0:
        parts.append(f"{st}: n=0"); continue
    mean = 1000 * (s1.get(st, 0) - s0.get(st, 0)) / n
    bk = sorted((le, v - b0[st].get(le, 0)) for le, v in b1[st].items())
    want, prev_le, prev_n, p95 = 0.95 * n, 0.0, 0.0, float("nan")
    for le, k in bk:
        if k >= want:
            p95 = prev_le if le == float("inf") else prev_le + (le - prev_le) * ((want - prev_n) / (k - prev_n) if k > prev_n else 1)
            break
        prev_le, prev_n = le, k
    parts.append(f"{st}: n={n:.0f} mean={mean:.1f}ms p95~{1000 * p95:.1f}ms")
t0, t1 = cpu_ns(sys.argv[1]), cpu_ns(sys.argv[2])
if t0 is not None and t1 is not None:
    parts.append(f"gateway CPU {(t1 - t0) / 1e9 / float(sys.argv[3]):.2f} cores")
print("; ".join(parts))
PY
)
    echo "  run$run stages (argus_stage_seconds over the window): $out"
  done
}

kv() { grep "^median\.$1=" "$DIR/$2.out" | cut -d= -f2; }
# yes when every measurement of this run began after the gateway's and the client's JIT had settled
settled() { local out=yes f; for f in "$@"; do [ "$(grep '^jit_settled=' "$DIR/$f.out" | cut -d= -f2)" = yes ] || out=no; done; echo $out; }

{
  echo "# Latency benchmark $STAMP (issue 14 point 5)"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(java -version 2>&1 | head -1)"
  if [ -n "${BENCH_LAT_JAR_COMMIT:-}" ]; then
    echo "commit: $COMMIT (the jar's, as BENCH_LAT_JAR_COMMIT names it; HEAD: $(git rev-parse --short HEAD))"
  else
    echo "commit: $COMMIT$(git diff --quiet HEAD -- src bench/latency || echo ' (+ uncommitted changes)')"
  fi
  echo "gateway jar: $JAR (built $(date -u -r "$JAR" +%FT%TZ)$( [ "$JAR" != target/argus-gateway.jar ] && [ -z "${BENCH_LAT_JAR_COMMIT:-}" ] && echo '; BENCH_LAT_JAR names another build than the commit'"'"'s, and BENCH_LAT_JAR_COMMIT does not say which'))"
  echo "uptime at start: $(uptime)"
  echo "settings: runs=$RUNS seconds=$SECS warmup_s=$WARMUP rate=$RATE cameras=$CAMERAS frame_interval_ms=${BENCH_LAT_FRAME_INTERVAL_MS:-default} ingest_linger_ms=${BENCH_LAT_INGEST_LINGER_MS:-default} demo=${DEMO_CAMERAS}x${DEMO_FPS}fps llm_ms=$LLM_MS llm_sigma=$LLM_SIGMA heap=$HEAP client=$CLIENT_OPTS label=$LABEL"
  echo "gateway: fat jar, $([ -n "$KAFKA_MODE" ] && echo "external broker at $BENCH_LAT_KAFKA_BOOTSTRAP (its own JVM)" || echo "embedded Kafka (one JVM)"), in-memory store; client: one JVM, SockJS websocket transport + Vert.x HTTP/1.1 keep-alive"
  echo "percentiles: nearest rank over every sample of a run; 'median' = the median over the runs of each figure"
} | tee "$REPORT"

if [ "$ONLY" != assess ]; then
  EXTRA=
  [ -n "${BENCH_LAT_FRAME_INTERVAL_MS:-}" ] && EXTRA=", \"dashboard\": {\"browserFrameIntervalMs\": $BENCH_LAT_FRAME_INTERVAL_MS}"
  [ -n "${BENCH_LAT_INGEST_LINGER_MS:-}" ] && KAFKA_EXTRA=", \"producer\": {\"linger.ms\": \"$BENCH_LAT_INGEST_LINGER_MS\"}"
  start_gateway ingest "$EXTRA"
  echo "== 1. ingest -> SockJS client: $RATE frames/s, one frame per POST, $CAMERAS cameras (gateway pid $GW, uptime: $(uptime | sed 's/.*load/load/'))" | tee -a "$REPORT"
  mkdir -p "$DIR/metrics-ingest"
  java $CLIENT_OPTS -cp "$DIR/classes:$DIR/argus-gateway.jar" LatencyBench ingest "$HTTP" "$RUNS" "$SECS" "$WARMUP" "$RATE" "$CAMERAS" "$DIR/metrics-ingest" \
    > "$DIR/ingest.out" 2> "$DIR/ingest.err" || { cat "$DIR/ingest.err"; exit 1; }
  sed 's/^/  /' "$DIR/ingest.out" | tee -a "$REPORT"
  stages "$DIR/metrics-ingest" | tee -a "$REPORT"
  echo "  load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$REPORT"
  stop_gateway
  KAFKA_EXTRA=
fi

if [ "$ONLY" != ingest ]; then
  read -r _ _ _ LPORT <<< "$(free_ports)"   # the simulated provider's port
  start_gateway assess ", \"demo\": {\"llmPort\": $LPORT, \"cameras\": $DEMO_CAMERAS, \"fps\": $DEMO_FPS, \"llmLatencyMs\": $LLM_MS, \"llmLatencySigma\": $LLM_SIGMA}" --demo
  echo "== 2. detection -> assessment: --demo, $DEMO_CAMERAS cameras x $DEMO_FPS fps, simulated provider ${LLM_MS} ms sigma $LLM_SIGMA (gateway pid $GW, uptime: $(uptime | sed 's/.*load/load/'))" | tee -a "$REPORT"
  mkdir -p "$DIR/metrics-assess"
  java $CLIENT_OPTS -cp "$DIR/classes:$DIR/argus-gateway.jar" LatencyBench assess "$HTTP" "$RUNS" "$SECS" "$WARMUP" "$DIR/metrics-assess" \
    > "$DIR/assess.out" 2> "$DIR/assess.err" || { cat "$DIR/assess.err"; exit 1; }
  sed 's/^/  /' "$DIR/assess.out" | tee -a "$REPORT"
  { echo "  reference: llm_call_* is the provider's latency as the gateway measured it (latency_ms of the same assessments), the figure d2a is compared with; the simulated provider draws it lognormal with median ${LLM_MS} ms and sigma $LLM_SIGMA (demo.llmLatencySigma), so its own p95 is $(python3 -c "import math; print(round($LLM_MS * math.exp(1.6449 * $LLM_SIGMA)))") ms by design, before any wait of Argus's; argus_added_* is, per assessment, d2a minus its own provider call"
    stages "$DIR/metrics-assess"; } | tee -a "$REPORT"
  echo "  load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$REPORT"
  stop_gateway
fi

{
  PUSH99=$( [ "$ONLY" != assess ] && kv push_p99_ms ingest || echo -)
  D2A95=$( [ "$ONLY" != ingest ] && kv d2a_p95_ms assess || echo -)
  echo "goals: ingest->SockJS p99 < 10 ms at 1,000 frames/s (this run: $RATE frames/s): ${PUSH99:-?} ms; detection->assessment p95 < 1.2 s: ${D2A95:-?} ms"
  echo "SUMMARY stamp=$STAMP setting=$LABEL commit=$COMMIT nproc=$(nproc) mem_gib=$(awk '/MemTotal/{printf "%.0f", $2/1048576}' /proc/meminfo) load1=$(cut -d' ' -f1 /proc/loadavg) runs=$RUNS seconds=$SECS rate=$RATE cameras=$CAMERAS push_p50_ms=$( [ "$ONLY" != assess ] && kv push_p50_ms ingest || echo -) push_p95_ms=$( [ "$ONLY" != assess ] && kv push_p95_ms ingest || echo -) push_p99_ms=${PUSH99:--} push_max_ms=$( [ "$ONLY" != assess ] && kv push_max_ms ingest || echo -) arrived_share=$( [ "$ONLY" != assess ] && kv arrived_share ingest || echo -) ack_p99_ms=$( [ "$ONLY" != assess ] && kv ack_p99_ms ingest || echo -) d2a_p50_ms=$( [ "$ONLY" != ingest ] && kv d2a_p50_ms assess || echo -) d2a_p95_ms=${D2A95:--} d2a_p99_ms=$( [ "$ONLY" != ingest ] && kv d2a_p99_ms assess || echo -) llm_call_p95_ms=$( [ "$ONLY" != ingest ] && kv llm_call_p95_ms assess || echo -) argus_added_p95_ms=$( [ "$ONLY" != ingest ] && kv argus_added_p95_ms assess || echo -) d2a_over_llm_p95=$( [ "$ONLY" != ingest ] && kv d2a_p95_over_llm_call_p95 assess || echo -) jit_settled=$(settled $( [ "$ONLY" != assess ] && echo ingest) $( [ "$ONLY" != ingest ] && echo assess))"
} | tee -a "$REPORT"
echo "report: $REPORT"
