#!/usr/bin/env bash
# Argus ingest benchmark: starts the gateway (fat jar, embedded Kafka on throwaway ports and data dir),
# measures HTTP ingest with wrk and a fixed-rate open-loop generator, measures Kafka's own
# ProducerPerformance against the same embedded broker as the reference, and writes a report to
# bench/results/ingest-<timestamp>.txt. Everything it starts is stopped on exit. See bench/README.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

# ---- knobs (env) -------------------------------------------------------------------------------
JAR="${BENCH_JAR:-$ROOT/target/argus-gateway.jar}"
JAR_COMMIT="${BENCH_JAR_COMMIT:-}"          # the commit BENCH_JAR was built from: the report names it instead of HEAD
HEAD_COMMIT=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
COMMIT="${JAR_COMMIT:-$HEAD_COMMIT}"
SINGLE_S="${BENCH_SINGLE_S:-20}"          # wrk single-frame run
BATCH_S="${BENCH_BATCH_S:-20}"            # wrk 100-frame batch run
LATENCY_S="${BENCH_LATENCY_S:-20}"        # open-loop fixed-rate run (recorded part)
LATENCY_WARMUP_S="${BENCH_LATENCY_WARMUP_S:-5}"  # open-loop warm-up at the same rate (not recorded)
PRODUCER_S="${BENCH_PRODUCER_S:-20}"      # target length of the ProducerPerformance run
WARMUP_S="${BENCH_WARMUP_S:-10}"          # wrk warm-up step (single frames, then batches; discarded), repeated until the JIT settles
JIT_SETTLED_MS="${BENCH_JIT_SETTLED_MS:-1000}"  # settled: the gateway's JIT compiled < this many ms during the last step pair
WARMUP_MAX_S="${BENCH_WARMUP_MAX_S:-360}" # warm-up gives up waiting for the JIT after this long (the report says so)
SETTLE_MAX_S="${BENCH_SETTLE_MAX_S:-20}"  # max wait between runs for the gateway's consumer lag to drain
RATE="${BENCH_RATE:-10000}"               # fixed rate of the latency run, req/s
THREADS="${BENCH_THREADS:-1}"             # wrk threads
CONNS="${BENCH_CONNS:-256}"               # wrk connections, single frames (see README: Little's law)
BATCH_CONNS="${BENCH_BATCH_CONNS:-16}"    # wrk connections, batches
OL_CONNS="${BENCH_OPENLOOP_CONNS:-256}"   # open-loop connections (max in flight)
BATCH="${BENCH_BATCH:-100}"               # frames per batch request
export BENCH_CAMERAS="${BENCH_CAMERAS:-50}" BENCH_BATCH="$BATCH"
export BENCH_BATCH_FORMAT="${BENCH_BATCH_FORMAT:-json}"   # json (array) or ndjson
export BENCH_STATUS_CODES="${BENCH_STATUS_CODES:-0}"   # 1: wrk also breaks responses down by status (costs wrk CPU)
PARTITIONS="${BENCH_PARTITIONS:-16}"      # partitions of the raw producer's topic (gateway default: 16)
LINGER_MS="${BENCH_LINGER_MS:-}"          # override kafka.producer linger.ms for the gateway AND the raw producer
EXTRA_PROPS="${BENCH_PRODUCER_PROPS:-}"   # e.g. "compression.type=none,batch.size=131072": gateway AND raw producer
ROLES="${BENCH_ROLES:-ingest}"            # ARGUS_ROLES of the gateway: an ingest-only node by default
BROKER="${BENCH_BROKER:-embedded}"        # embedded: the gateway's in-process broker; process: a KRaft broker in a JVM of
                                          # its own (as in production), from the same jar, the gateway in external mode
BROKER_JAVA_OPTS="${BENCH_BROKER_JAVA_OPTS:--Xms1g -Xmx1g}"
LABEL="${BENCH_LABEL:-}"                  # a name for this setting in the reports and the README table
GATEWAY_JAVA_OPTS="${BENCH_GATEWAY_JAVA_OPTS:--Xms1g -Xmx2g}"
READY_TIMEOUT_S="${BENCH_READY_TIMEOUT_S:-90}"
MAX_S="${BENCH_MAX_S:-900}"               # hard limit for the whole script
STRICT="${BENCH_STRICT:-0}"               # 1: exit 1 when a goal is missed
RESULTS="${BENCH_RESULTS_DIR:-$HERE/results}"

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$RESULTS"
REPORT="$RESULTS/ingest-$STAMP.txt"
GW_LOG="$RESULTS/gateway-$STAMP.log"
GC_LOG="$RESULTS/gateway-$STAMP-gc.log"  # the gateway JVM's GC log (its broker's collections included)
RAW="$RESULTS/ingest-$STAMP.raw"          # full tool output, for digging
WORK="$(mktemp -d /tmp/argus-bench.XXXXXX)"
GW_PID=""
BROKER_PID=""
WATCHDOG=""

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

stop_jvm() { # name pid seconds: TERM, then KILL if it still runs after that many seconds
  [[ -n "$2" ]] && kill -0 "$2" 2>/dev/null || return 0
  log "stopping $1 (pid $2)"
  kill -TERM "$2" 2>/dev/null || true
  for _ in $(seq 1 $(( $3 * 4 ))); do kill -0 "$2" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$2" 2>/dev/null; then log "$1 did not stop in $3 s: SIGKILL"; kill -KILL "$2" 2>/dev/null || true; fi
  wait "$2" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$WATCHDOG" ]]; then kill "$WATCHDOG" 2>/dev/null || true; fi
  stop_jvm gateway "$GW_PID" 10
  stop_jvm broker "$BROKER_PID" 15
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# Whole-script bound: every step has its own timeout too; this catches anything that slips through.
# The subshell kills its own sleep when it is stopped, so nothing outlives the script.
MAIN_PID=$$
(
  trap 'kill "$s" 2>/dev/null; exit 0' TERM
  sleep "$MAX_S" </dev/null >/dev/null 2>&1 & s=$!
  wait "$s"
  echo "[bench] overall limit of ${MAX_S}s reached, stopping" >&2
  kill -TERM "$MAIN_PID" 2>/dev/null
) &
WATCHDOG=$!

# ---- tools ---------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq && timeout 300 apt-get install -y -qq wrk >/dev/null || die "could not install wrk"
fi
command -v java >/dev/null || die "java not found"
command -v mvn >/dev/null || die "mvn not found"
command -v curl >/dev/null || die "curl not found"

log "resolving the bench classpath (kafka-tools 3.9.1, kafka-clients, slf4j-simple, HdrHistogram)"
# Cached per bench/pom.xml content (resolving takes a minute or two on a busy machine); reused only while
# every jar on it still exists.
CP_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/argus-bench/cp-$(sha1sum "$HERE/pom.xml" | cut -c1-12).txt"
if [[ -s "$CP_CACHE" ]] && tr ':' '\n' <"$CP_CACHE" | while read -r j; do [[ -f "$j" ]] || exit 1; done; then
  cp "$CP_CACHE" "$WORK/cp.txt"
else
  timeout 600 mvn -B -q -f "$HERE/pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >"$WORK/mvn-bench.log" 2>&1 \
    || { tail -30 "$WORK/mvn-bench.log" >&2; die "could not resolve bench/pom.xml dependencies"; }
  mkdir -p "$(dirname "$CP_CACHE")" && cp "$WORK/cp.txt" "$CP_CACHE"
fi
CP="$(cat "$WORK/cp.txt")"
# Compile the open-loop generator up front (the source launcher would leave javac's garbage in its heap).
mkdir -p "$WORK/classes"
timeout 120 javac -d "$WORK/classes" -cp "$CP" "$HERE/OpenLoop.java" >"$WORK/javac.log" 2>&1 \
  || { cat "$WORK/javac.log" >&2; die "could not compile bench/OpenLoop.java"; }
OLJAVA=(java -XX:+UseSerialGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp "$WORK/classes:$CP" OpenLoop)
KJAVA=(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Xmx1g -cp "$CP")

if [[ ! -f "$JAR" ]]; then
  log "$JAR missing: building the gateway (mvn -B -q -DskipTests package)"
  (cd "$ROOT" && timeout 900 mvn -B -q -DskipTests package) >"$WORK/mvn-gw.log" 2>&1 \
    || { tail -40 "$WORK/mvn-gw.log" >&2; die "gateway build failed"; }
  [[ -f "$JAR" ]] || die "build finished but $JAR is still missing"
fi

# ---- ports ---------------------------------------------------------------------------------------
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { # first free port at or above $1 that is not in the exclusion list ($2...)
  local p=$1; shift
  while port_busy "$p" || [[ " $* " == *" $p "* ]]; do p=$((p + 1)); done
  echo "$p"
}
HTTP_PORT="${BENCH_HTTP_PORT:-$(free_port 18080)}"
KAFKA_PORT="${BENCH_KAFKA_PORT:-$(free_port 19092 "$HTTP_PORT")}"
CTRL_PORT="${BENCH_CONTROLLER_PORT:-$(free_port $((KAFKA_PORT + 1)) "$HTTP_PORT" "$KAFKA_PORT")}"
for p in "$HTTP_PORT" "$KAFKA_PORT" "$CTRL_PORT"; do port_busy "$p" && die "port $p is already in use"; done
BASE="http://127.0.0.1:$HTTP_PORT"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

# ---- gateway -------------------------------------------------------------------------------------
# Producer overrides (BENCH_LINGER_MS, BENCH_PRODUCER_PROPS) go to the gateway's conf and the raw producer alike.
OVERRIDE_PROPS=()
[[ -z "$EXTRA_PROPS" ]] || IFS=',' read -r -a OVERRIDE_PROPS <<<"$EXTRA_PROPS"
[[ -z "$LINGER_MS" ]] || OVERRIDE_PROPS+=("linger.ms=$LINGER_MS")
PRODUCER_OVERRIDE=""
if (( ${#OVERRIDE_PROPS[@]} > 0 )); then
  PRODUCER_OVERRIDE=",\"producer\":{$(for kv in "${OVERRIDE_PROPS[@]}"; do printf '"%s":"%s",' "${kv%%=*}" "${kv#*=}"; done | sed 's/,$//')}"
fi
# Run a copy: a rebuild of target/ during the run must not pull the jar from under the JVM.
cp "$JAR" "$WORK/argus-gateway.jar"
if [[ "$BROKER" == process ]]; then
  # One KRaft broker (broker and controller) from the jar's own Kafka classes, in a JVM of its own.
  printf '%s\n' process.roles=broker,controller node.id=1 "controller.quorum.voters=1@127.0.0.1:$CTRL_PORT" \
    "listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CTRL_PORT" controller.listener.names=CONTROLLER \
    "log.dirs=$WORK/kafka" offsets.topic.replication.factor=1 transaction.state.log.replication.factor=1 \
    transaction.state.log.min.isr=1 group.initial.rebalance.delay.ms=0 auto.create.topics.enable=false >"$WORK/kraft.properties"
  timeout 120 java -cp "$WORK/argus-gateway.jar" kafka.tools.StorageTool format -t YXJndXMtYmVuY2gtaW5nZXN0 \
    -c "$WORK/kraft.properties" >"$WORK/kraft-format.log" 2>&1 || { cat "$WORK/kraft-format.log" >&2; die "could not format the broker's log dir"; }
  log "starting a KRaft broker in its own JVM on $BOOTSTRAP ($BROKER_JAVA_OPTS)"
  # shellcheck disable=SC2086
  java $BROKER_JAVA_OPTS -Xlog:gc:file="$RESULTS/broker-$STAMP-gc.log":uptime -cp "$WORK/argus-gateway.jar" kafka.Kafka \
    "$WORK/kraft.properties" >"$RESULTS/broker-$STAMP.log" 2>&1 &
  BROKER_PID=$!
  for _ in $(seq 1 240); do
    kill -0 "$BROKER_PID" 2>/dev/null || { tail -40 "$RESULTS/broker-$STAMP.log" >&2; die "the broker exited"; }
    port_busy "$KAFKA_PORT" && break
    sleep 0.5
  done
  port_busy "$KAFKA_PORT" || die "the broker did not listen on $KAFKA_PORT within 120 s"
  KAFKA_CONF="\"mode\":\"external\",\"bootstrapServers\":\"$BOOTSTRAP\""
else
  KAFKA_CONF="\"mode\":\"embedded\",\"embedded\":{\"dataDir\":\"$WORK/kafka\",\"port\":$KAFKA_PORT,\"controllerPort\":$CTRL_PORT}"
fi
cat >"$WORK/bench-conf.json" <<EOF
{"kafka":{$KAFKA_CONF$PRODUCER_OVERRIDE}}
EOF
log "starting gateway: http $HTTP_PORT, kafka ($BROKER) $KAFKA_PORT/$CTRL_PORT, data $WORK/kafka, log $GW_LOG"
# Only this run's settings: no broker address, mode or Redis from the caller's environment.
# shellcheck disable=SC2086
env -u ARGUS_KAFKA_BOOTSTRAP_SERVERS -u ALGO_KAFKA_BOOTSTRAP_SERVERS -u ALGO_ENABLE_KAFKA_STREAMING \
    -u ARGUS_KAFKA_MODE -u ARGUS_KAFKA_DATA_DIR -u ARGUS_REDIS_URL -u ARGUS_DEMO \
    -u ARGUS_LLM_API_KEYS -u ARGUS_LLM_KEYS_FILE -u ARGUS_LLM_BASE_URL \
    ARGUS_HTTP_PORT="$HTTP_PORT" ARGUS_ROLES="$ROLES" \
    java $GATEWAY_JAVA_OPTS -Xlog:gc,gc+phases:file="$GC_LOG":uptime -jar "$WORK/argus-gateway.jar" -conf "$WORK/bench-conf.json" >"$GW_LOG" 2>&1 &
GW_PID=$!
GW_T0=$(date +%s.%N)   # the JVM's uptime 0, to a few ms: the GC log's timestamps are uptime

t0=$(date +%s)
code=000
while :; do
  if ! kill -0 "$GW_PID" 2>/dev/null; then
    wait "$GW_PID" 2>/dev/null && rc=0 || rc=$?
    GW_PID=""
    log "gateway exited (status $rc) before it was ready; last lines of $GW_LOG:"
    tail -60 "$GW_LOG" >&2
    exit 1
  fi
  code=$(curl -s -o "$WORK/ready.json" -w '%{http_code}' --max-time 2 "$BASE/health/ready" || true)
  [[ "$code" == 200 ]] && break
  if (( $(date +%s) - t0 >= READY_TIMEOUT_S )); then
    log "gateway not ready after ${READY_TIMEOUT_S}s (last /health/ready status $code: $(head -c 500 "$WORK/ready.json" 2>/dev/null)); last lines of $GW_LOG:"
    tail -60 "$GW_LOG" >&2
    exit 1
  fi
  sleep 0.5
done
READY_S=$(( $(date +%s) - t0 ))
log "gateway ready in ${READY_S}s"

# ---- helpers -------------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc)
proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }     # utime+stime of a pid
gw_ticks() { # the gateway JVM's, with its broker's when that runs in a JVM of its own ("gw" = gateway + broker)
  if [[ -n "$BROKER_PID" ]]; then echo $(( $(proc_ticks "$GW_PID") + $(proc_ticks "$BROKER_PID") )); else proc_ticks "$GW_PID"; fi
}
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }            # whole machine, busy
now_ms() { date +%s%3N; }
children_ms() { # CPU time of this shell's finished children, from a file written by 'times', in ms
  tail -1 "$1" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60000 + a[2] * 1000 } printf "%d", s }'
}
# Measure CPU around a command, in cores: CPU_GW (gateway JVM), CPU_GEN (the command itself: the load
# generator), CPU_OTHER (everything else on the machine: other builds, tests, benchmarks).
measure() {
  local g0 a0 c0 t0 g1 a1 c1 t1
  # 'times' runs in this shell (never in $(...) or a pipeline: a subshell would report its own children)
  times >"$WORK/times0.txt"; g0=$(gw_ticks); a0=$(busy_ticks); t0=$(now_ms)
  "$@"
  times >"$WORK/times1.txt"; g1=$(gw_ticks); a1=$(busy_ticks); t1=$(now_ms)
  c0=$(children_ms "$WORK/times0.txt"); c1=$(children_ms "$WORK/times1.txt")
  read -r CPU_GW CPU_GEN CPU_OTHER CPU_ALL < <(awk -v g=$((g1 - g0)) -v a=$((a1 - a0)) -v c=$((c1 - c0)) -v hz="$CLK_TCK" -v ms=$((t1 - t0)) \
    'BEGIN{ s = ms / 1000; gw = g / hz / s; all = a / hz / s; gen = c / 1000 / s; o = all - gw - gen; if (o < 0) o = 0;
            printf "%.2f %.2f %.2f %.2f\n", gw, gen, o, all }')
  CPU_STR="$CPU_GW/$CPU_GEN/$CPU_OTHER"
}
kv() { # kv "<BENCH line>" key -> value
  local v
  v=$(tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k {print substr($0, length(k) + 2); exit}')
  echo "${v:--}"
}
gateway_lag() { # total kafka_consumer_lag over groups and topics (0 when the metric is absent)
  curl -s --max-time 2 "$BASE/metrics" 2>/dev/null | awk '/^kafka_consumer_lag[{ ]/ {s += $NF} END {printf "%d", s}'
}
settle() { # wait (bounded) until the gateway's own consumers have caught up with what the last run produced
  local t=0 lag
  lag=$(gateway_lag)
  while (( lag > 1000 && t < SETTLE_MAX_S )); do sleep 1; t=$((t + 1)); lag=$(gateway_lag); done
  SETTLE_NOTE="lag ${lag} after ${t}s"
  log "settle: consumer lag $lag after ${t}s"
}
gw_alive() {
  kill -0 "$GW_PID" 2>/dev/null || { log "gateway died; last lines of $GW_LOG:"; tail -60 "$GW_LOG" >&2; GW_PID=""; exit 1; }
  [[ -z "$BROKER_PID" ]] || kill -0 "$BROKER_PID" 2>/dev/null || { log "the broker died"; tail -40 "$RESULTS/broker-$STAMP.log" >&2; BROKER_PID=""; exit 1; }
}

# A realistic frame and batch, for the contract check.
FRAME='{"camera_id":"cam-007","frame_id":12345,"timestamp":1732380000000,"model_type":"yolov8n","detections":[{"label":"person","confidence":0.91,"bbox":[10,20,110,220],"track_id":3},{"label":"car","confidence":0.77,"bbox":[300,200,520,330],"track_id":8},{"label":"dog","confidence":0.42,"bbox":[640,380,700,430]}]}'
contract_check() { # POST body ($2) with content type ($1); expect 202 and {"accepted":$3}
  local code body
  code=$(curl -s -o "$WORK/check.json" -w '%{http_code}' --max-time 10 -H "Content-Type: $1" --data-binary "@$2" "$BASE/api/v1/detections" || true)
  body=$(head -c 300 "$WORK/check.json" 2>/dev/null || true)
  if [[ "$code" != 202 ]] || ! tr -d ' \n' <"$WORK/check.json" | grep -q "\"accepted\":$3[,}]"; then
    die "contract check failed: POST $1 ($3 frames) -> HTTP $code $body (expected 202 {\"accepted\":$3})"
  fi
  log "contract check: $1 x$3 -> 202 $body"
}
printf '%s' "$FRAME" >"$WORK/one.json"
{ printf '['; for i in $(seq 1 "$BATCH"); do ((i > 1)) && printf ','; printf '%s' "${FRAME/12345/$((12345 + i))}"; done; printf ']'; } >"$WORK/batch.json"
for i in $(seq 1 "$BATCH"); do printf '%s\n' "${FRAME/12345/$((22345 + i))}"; done >"$WORK/batch.ndjson"
contract_check application/json "$WORK/one.json" 1
contract_check application/json "$WORK/batch.json" "$BATCH"
contract_check application/x-ndjson "$WORK/batch.ndjson" "$BATCH"

: >"$RAW"
run_wrk() { # name script conns seconds -> appends output to RAW, sets WRK_LINE
  local name=$1 script=$2 conns=$3 secs=$4
  log "wrk $name: -t$THREADS -c$conns -d${secs}s"
  timeout $((secs + 60)) wrk -t"$THREADS" -c"$conns" -d"${secs}s" --timeout 10s --latency -s "$script" "$BASE" >"$WORK/wrk-$name.out" 2>&1 \
    || { cat "$WORK/wrk-$name.out" >&2; die "wrk $name failed"; }
  { echo "=== wrk $name (-t$THREADS -c$conns -d${secs}s)"; cat "$WORK/wrk-$name.out"; } >>"$RAW"
  WRK_LINE=$(grep '^BENCH ' "$WORK/wrk-$name.out" | tail -1)
  [[ -n "$WRK_LINE" ]] || { cat "$WORK/wrk-$name.out" >&2; die "wrk $name printed no BENCH line"; }
  gw_alive
}

# ---- 0. warm-up: before every measured run, the reference included (its broker is the gateway's) ----
# A fresh gateway's JIT (C2 compiling Vert.x, Kafka's client and its embedded broker) takes one of the two
# cores for the first two to three minutes of load (jvm_compilation_time_ms_total grows ~1 s per s, then
# falls below 0.1 s per s: measured 2026-12-01). Figures taken before that measure the compiler, so the
# warm-up repeats single-frame and batch steps until one pair of steps compiled less than JIT_SETTLED_MS.
jit_ms() { curl -s "$BASE/metrics" | awk '/^jvm_compilation_time_ms_total/ {s += $NF} END {printf "%d", s}'; }
WARM_START=$SECONDS
JIT_BEFORE=$(jit_ms)
while :; do
  run_wrk warmup "$HERE/single.lua" "$CONNS" "$WARMUP_S"
  run_wrk warmup-batch "$HERE/batch.lua" "$BATCH_CONNS" "$WARMUP_S"
  JIT_NOW=$(jit_ms)
  JIT_STEP_MS=$(( JIT_NOW - JIT_BEFORE ))
  JIT_BEFORE=$JIT_NOW
  WARM_S=$(( SECONDS - WARM_START ))
  log "warm-up ${WARM_S}s: the gateway's JIT compiled ${JIT_STEP_MS} ms during the last $((2 * WARMUP_S)) s"
  if (( JIT_STEP_MS < JIT_SETTLED_MS )); then JIT_SETTLED=yes; break; fi
  if (( WARM_S >= WARMUP_MAX_S )); then JIT_SETTLED=no; log "WARNING: the JIT had not settled after ${WARM_S}s"; break; fi
done
settle

# ---- 1. reference: Kafka's own ProducerPerformance against the same embedded broker -------------
create_topic() { # name: PARTITIONS partitions, replication 1, on the gateway's broker
  log "creating topic $1 ($PARTITIONS partitions) on $BOOTSTRAP"
  timeout 60 "${KJAVA[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$1" --partitions "$PARTITIONS" --replication-factor 1 >"$WORK/topic-$1.log" 2>&1 \
    || { cat "$WORK/topic-$1.log" >&2; die "could not create topic $1"; }
}
RAW_TOPIC="bench-raw-producer"
create_topic "$RAW_TOPIC"
timeout 60 "${KJAVA[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --describe --topic "$RAW_TOPIC" >"$WORK/topic-describe.log" 2>&1 || true
RAW_PARTS=$(grep -c 'Partition: ' "$WORK/topic-describe.log" || true)
[[ "$RAW_PARTS" == "$PARTITIONS" ]] || { cat "$WORK/topic-describe.log" >&2; die "topic $RAW_TOPIC has $RAW_PARTS partitions, expected $PARTITIONS"; }

# Payloads: the same kind of frames the HTTP runs send (one per line, ~410 B), so compression and
# record size match what the gateway writes for single frames.
timeout 120 "${OLJAVA[@]}" --cameras "$BENCH_CAMERAS" --dump-frames 5000 "$WORK/frames.ndjson" 2>"$WORK/dump.log" \
  || { cat "$WORK/dump.log" >&2; die "could not write the payload file"; }
AVG_BYTES=$(awk '{s += length($0)} END {printf "%d", s / NR}' "$WORK/frames.ndjson")
# The gateway's own producer settings (kafka.producer in the jar's conf.json), so both sides batch and
# compress alike; acks=all + idempotence are what the gateway's code sets. Fallback: the documented defaults.
GW_PRODUCER_PROPS=()
if (cd "$WORK" && jar xf argus-gateway.jar conf.json) 2>/dev/null && [[ -f "$WORK/conf.json" ]]; then
  mapfile -t GW_PRODUCER_PROPS < <(tr -d '\n' <"$WORK/conf.json" | grep -o '"producer"[[:space:]]*:[[:space:]]*{[^}]*}' | head -1 \
    | sed -E 's/^"producer"[[:space:]]*:[[:space:]]*\{//; s/\}$//' | tr ',' '\n' \
    | sed -E 's/^[[:space:]]*"([^"]+)"[[:space:]]*:[[:space:]]*"?([^"]*)"?[[:space:]]*$/\1=\2/' \
    | grep -E '^[a-z.]+=' | grep -vE '^(default\.api\.timeout\.ms|bootstrap\.servers|acks|enable\.idempotence)=' || true)
fi
if (( ${#GW_PRODUCER_PROPS[@]} == 0 )); then
  log "could not read kafka.producer from the jar's conf.json; using linger.ms=5 batch.size=65536 compression.type=lz4"
  GW_PRODUCER_PROPS=(linger.ms=5 batch.size=65536 compression.type=lz4)
fi
for kv in "${OVERRIDE_PROPS[@]}"; do
  for i in "${!GW_PRODUCER_PROPS[@]}"; do [[ "${GW_PRODUCER_PROPS[$i]}" == "${kv%%=*}="* ]] && unset "GW_PRODUCER_PROPS[$i]"; done
  GW_PRODUCER_PROPS+=("$kv")
done
PRODUCER_PROPS=(bootstrap.servers="$BOOTSTRAP" acks=all enable.idempotence=true "${GW_PRODUCER_PROPS[@]}")
log "raw producer props: ${PRODUCER_PROPS[*]}"
run_pp() { # num-records -> sets PP_LINE (the final summary line)
  timeout $((PRODUCER_S * 4 + 120)) "${KJAVA[@]}" org.apache.kafka.tools.ProducerPerformance --topic "$RAW_TOPIC" \
    --num-records "$1" --payload-file "$WORK/frames.ndjson" --throughput -1 --producer-props "${PRODUCER_PROPS[@]}" \
    >"$WORK/pp.out" 2>&1 || { tail -30 "$WORK/pp.out" >&2; die "ProducerPerformance failed"; }
  PP_LINE=$(grep -E '^[0-9]+ records sent, .*99th' "$WORK/pp.out" | tail -1)
  [[ -n "$PP_LINE" ]] || { tail -30 "$WORK/pp.out" >&2; die "no ProducerPerformance summary line"; }
  gw_alive
}
log "ProducerPerformance calibration (200k records)"
run_pp 200000
{ echo "=== ProducerPerformance calibration"; cat "$WORK/pp.out"; } >>"$RAW"
CAL_RATE=$(sed -E 's/.* records sent, ([0-9.]+) records\/sec.*/\1/' <<<"$PP_LINE")
PP_RECORDS=$(awk -v r="$CAL_RATE" -v s="$PRODUCER_S" 'BEGIN{n = int(r * s); if (n < 100000) n = 100000; if (n > 50000000) n = 50000000; print n}')
log "ProducerPerformance: $PP_RECORDS records (~${PRODUCER_S}s at the calibration rate ${CAL_RATE}/s)"
measure run_pp "$PP_RECORDS"
PP_CPU=$CPU_STR
{ echo "=== ProducerPerformance $PP_RECORDS records"; cat "$WORK/pp.out"; } >>"$RAW"
# "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th."
read -r PP_N PP_RATE PP_MB PP_AVG PP_MAX PP_P50 PP_P95 PP_P99 PP_P999 < <(
  sed -E 's/^([0-9]+) records sent, ([0-9.]+) records\/sec \(([0-9.]+) MB\/sec\), ([0-9.]+) ms avg latency, ([0-9.]+) ms max latency, ([0-9]+) ms 50th, ([0-9]+) ms 95th, ([0-9]+) ms 99th, ([0-9]+) ms 99.9th.*/\1 \2 \3 \4 \5 \6 \7 \8 \9/' <<<"$PP_LINE")
# The keyed reference: a bare KafkaProducer with the gateway's keys (camera_id), its own topic of the same
# partitions. ProducerPerformance above sends unkeyed (sticky: one partition's batch fills at a time), the
# gateway must key by camera (its order is per camera), which spreads each request over the partitions.
KEYED_TOPIC="bench-raw-keyed"
create_topic "$KEYED_TOPIC"
run_keyed() { # headers (none|cloudevents) topic out-file line-prefix -> sets KEYED_OUT_LINE
  timeout $((PRODUCER_S + 120)) "${KJAVA[@]}" -Dkeyed.headers="$1" "$HERE/KeyedProducer.java" "$BOOTSTRAP" "$2" \
    "$WORK/frames.ndjson" "$PRODUCER_S" acks=all enable.idempotence=true "${GW_PRODUCER_PROPS[@]}" >"$3" 2>&1 \
    || { tail -30 "$3" >&2; die "KeyedProducer ($1) failed"; }
  KEYED_OUT_LINE=$(grep "^$4 " "$3" | tail -1)
  [[ -n "$KEYED_OUT_LINE" ]] || { tail -30 "$3" >&2; die "KeyedProducer printed no $4 line"; }
  gw_alive
}
keyed_reference() { # title headers topic line-prefix -> KEYED_OUT_LINE, KEYED_OUT_CPU, KEYED_OUT_RATE
  local out="$WORK/keyed-$2.out"
  settle
  log "$1 (KeyedProducer -Dkeyed.headers=$2, ${PRODUCER_S}s)"
  measure run_keyed "$2" "$3" "$out" "$4"
  KEYED_OUT_CPU=$CPU_STR
  { echo "=== $1, ${PRODUCER_S}s"; cat "$out"; } >>"$RAW"
  KEYED_OUT_RATE=$(kv "$KEYED_OUT_LINE" rate)
}
keyed_reference "keyed raw producer" none "$KEYED_TOPIC" KEYED
KEYED_LINE=$KEYED_OUT_LINE KEYED_CPU=$KEYED_OUT_CPU KEYED_RATE=$KEYED_OUT_RATE
# The same keyed records with the CloudEvents headers the gateway writes on each: Kafka's own cost of the
# contract's headers, and the reference that differs from the gateway's writes only by HTTP and validation.
KEYED_CE_TOPIC="bench-raw-keyed-ce"
create_topic "$KEYED_CE_TOPIC"
keyed_reference "keyed raw producer with CloudEvents headers" cloudevents "$KEYED_CE_TOPIC" KEYED_CE
KEYED_CE_LINE=$KEYED_OUT_LINE KEYED_CE_CPU=$KEYED_OUT_CPU KEYED_CE_RATE=$KEYED_OUT_RATE
settle

# ---- 2. the fixed-rate latency run (quietest gateway state first) ---------------------------------
log "latency floor: wrk single frames, 1 connection, 3s"
run_wrk floor "$HERE/single.lua" 1 3
FLOOR_LINE=$WRK_LINE
log "open loop: ${RATE} req/s for ${LATENCY_S}s (+${LATENCY_WARMUP_S}s warm-up), $OL_CONNS connections"
ol_run() {
  timeout $((LATENCY_S + LATENCY_WARMUP_S + 120)) "${OLJAVA[@]}" --url "$BASE/api/v1/detections" --rate "$RATE" --duration "$LATENCY_S" --warmup "$LATENCY_WARMUP_S" \
    --connections "$OL_CONNS" --cameras "$BENCH_CAMERAS" >"$WORK/openloop.out" 2>&1 \
    || { cat "$WORK/openloop.out" >&2; die "open-loop generator failed"; }
}
OL_T_START=$(date +%s.%N)
measure ol_run
OL_T_END=$(date +%s.%N)
OL_CPU=$CPU_STR
# The gateway JVM's stop-the-world pauses in the recorded part of the open loop (after its warm-up): each one
# holds every request in flight and every one due during it, so they bound the p99 from below.
gc_pauses() { # from-uptime-s to-uptime-s -> "N pauses, total T ms, max M ms"
  awk -v a="$1" -v b="$2" '
    /Pause/ && match($0, /[0-9.]+ms$/) {
      t = substr($1, 2) + 0; if (t < a || t > b) next
      ms = substr($0, RSTART, RLENGTH - 2) + 0; n++; sum += ms; if (ms > max) max = ms
    }
    END { printf "%d pauses, total %.1f ms, max %.1f ms", n, sum, max }' "$GC_LOG" 2>/dev/null || echo "no GC log"
}
OL_GC=$(gc_pauses "$(awk -v s="$OL_T_START" -v z="$GW_T0" -v w="$LATENCY_WARMUP_S" 'BEGIN{printf "%.3f", s - z + w}')" \
                  "$(awk -v e="$OL_T_END" -v z="$GW_T0" 'BEGIN{printf "%.3f", e - z}')")
{ echo "=== open loop ${RATE} req/s"; cat "$WORK/openloop.out"; } >>"$RAW"
OL_LINE=$(grep '^BENCH ' "$WORK/openloop.out" | tail -1)
[[ -n "$OL_LINE" ]] || { cat "$WORK/openloop.out" >&2; die "open-loop generator printed no BENCH line"; }
gw_alive
settle

# ---- 3. single frames, closed loop (max throughput) ---------------------------------------------
measure run_wrk single "$HERE/single.lua" "$CONNS" "$SINGLE_S"
SINGLE_LINE=$WRK_LINE SINGLE_CPU=$CPU_STR
settle

# ---- 4. 100-frame batches, closed loop -----------------------------------------------------------
measure run_wrk batch "$HERE/batch.lua" "$BATCH_CONNS" "$BATCH_S"
BATCH_LINE=$WRK_LINE BATCH_CPU=$CPU_STR
settle
curl -s --max-time 5 "$BASE/metrics" >"$RESULTS/metrics-$STAMP.txt" 2>/dev/null || true

# ---- report --------------------------------------------------------------------------------------
fmt() { awk -v x="$1" 'BEGIN{ if (x == "-" || x == "") { print "-"; exit } n = sprintf("%.0f", x); s = ""; while (length(n) > 3) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) } print n s }'; }
errs() { # non-2xx + socket errors of a wrk BENCH line
  echo $(( $(kv "$1" non2xx) + $(kv "$1" connect_err) + $(kv "$1" read_err) + $(kv "$1" write_err) + $(kv "$1" timeouts) ))
}
S_RPS=$(kv "$SINGLE_LINE" req_per_s); B_RPS=$(kv "$BATCH_LINE" req_per_s); B_REC=$(kv "$BATCH_LINE" records_per_s)
OL_P99=$(kv "$OL_LINE" lat_p99_ms)
OL_ERRS=$(( $(kv "$OL_LINE" non2xx) + $(kv "$OL_LINE" io_errors) + $(kv "$OL_LINE" timeouts) ))
RATIO=$(awk -v a="$B_REC" -v b="$PP_RATE" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}')
RATIO_KEYED=$(awk -v a="$B_REC" -v b="$KEYED_RATE" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}')
RATIO_KEYED_CE=$(awk -v a="$B_REC" -v b="$KEYED_CE_RATE" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}')
verdict() { awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN{ ok = (op == ">=") ? (v >= g) : (v < g); print ok ? "PASS" : "MISS" }'; }
V_RATIO=$(verdict "$RATIO" ">=" 0.9); V_RATIO_KEYED=$(verdict "$RATIO_KEYED" ">=" 0.9); V_SINGLE=$(verdict "$S_RPS" ">=" 25000); V_P99=$(verdict "$OL_P99" "<" 5)
OL_ACH=$(kv "$OL_LINE" req_per_s)
(( $(kv "$OL_LINE" unsent) == 0 )) || V_P99="MISS"   # could not even send at the target rate
codes_note() { local c; c=$(kv "$1" codes); [[ "$c" == "-" ]] && echo "" || echo " codes $c"; }

CPU_MODEL=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)
{
  echo "Argus ingest benchmark  $STAMP"
  echo "machine: $NCPU cores ($CPU_MODEL), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(java -version 2>&1 | head -1); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "commit: $COMMIT$( [[ -n "$JAR_COMMIT" ]] && echo " (the jar's, as BENCH_JAR_COMMIT names it; HEAD: $HEAD_COMMIT)" || { cd "$ROOT" && git diff --quiet HEAD -- src 2>/dev/null; } || echo ' (+ uncommitted src changes)'); roles: $ROLES; setting: ${LABEL:-default}; producer: ${PRODUCER_PROPS[*]:1}"
  echo "load average before the run: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "gateway: $(basename "$JAR") ($(date -u -r "$JAR" +%Y-%m-%dT%H:%MZ), $(( $(stat -c %s "$JAR") / 1048576 )) MB), $GATEWAY_JAVA_OPTS, ready in ${READY_S}s; $( [[ "$BROKER" == process ]] && echo "Kafka in a JVM of its own ($BROKER_JAVA_OPTS; broker-$STAMP-gc.log)" || echo "embedded Kafka") at $BOOTSTRAP"
  echo "NOTE: the load generators (wrk, OpenLoop.java, ProducerPerformance) run on the same $NCPU cores as"
  echo "      the gateway and its broker; every number below includes that contention."
  echo "      'cpu gw/gen/other' = cores used during the run by the gateway JVM (with its broker) / the load"
  echo "      generator / everything else (other work on the machine: anything well above 0 makes the run noisy)."
  NOISE=$(for c in "$PP_CPU" "$SINGLE_CPU" "$BATCH_CPU" "$OL_CPU"; do echo "${c##*/}"; done | sort -g | tail -1)
  if awk -v n="$NOISE" 'BEGIN{exit !(n > 0.25)}'; then
    echo "WARNING: other processes used up to $NOISE cores during a run (of $NCPU): this run is noisy; compare ratios"
    echo "         only, and rerun on a quiet machine before quoting absolute numbers."
  fi
  echo
  printf '%-32s %10s %8s %10s %10s %7s  %s\n' "run" "records/s" "req/s" "p50 ms" "p99 ms" "errors" "cpu gw/gen/other"
  printf '%-32s %10s %8s %10s %10s %7s  %s\n' "raw producer (ProducerPerformance)" "$(fmt "$PP_RATE")" "-" "$PP_P50" "$PP_P99" "0" "$PP_CPU"
  printf '%-32s %10s %8s %10s %10s %7s  %s\n' "keyed raw producer (camera_id)" "$(fmt "$KEYED_RATE")" "-" "-" "-" "$(kv "$KEYED_LINE" failed)" "$KEYED_CPU"
  printf '%-32s %10s %8s %10s %10s %7s  %s\n' "keyed + CloudEvents headers" "$(fmt "$KEYED_CE_RATE")" "-" "-" "-" "$(kv "$KEYED_CE_LINE" failed)" "$KEYED_CE_CPU"
  printf '%-32s %10s %8s %10s %10s %7s  %s\n' "single frame, wrk -c$CONNS" "$(fmt "$S_RPS")" "$(fmt "$S_RPS")" \
    "$(kv "$SINGLE_LINE" lat_p50_ms)" "$(kv "$SINGLE_LINE" lat_p99_ms)" "$(errs "$SINGLE_LINE")" "$SINGLE_CPU"
  printf '%-32s %10s %8s %10s %10s %7s  %s\n' "batch x$BATCH $BENCH_BATCH_FORMAT, wrk -c$BATCH_CONNS" "$(fmt "$B_REC")" "$(fmt "$B_RPS")" \
    "$(kv "$BATCH_LINE" lat_p50_ms)" "$(kv "$BATCH_LINE" lat_p99_ms)" "$(errs "$BATCH_LINE")" "$BATCH_CPU"
  printf '%-32s %10s %8s %10s %10s %7s  %s\n' "single frame, 1 conn (floor)" "$(fmt "$(kv "$FLOOR_LINE" req_per_s)")" "$(fmt "$(kv "$FLOOR_LINE" req_per_s)")" \
    "$(kv "$FLOOR_LINE" lat_p50_ms)" "$(kv "$FLOOR_LINE" lat_p99_ms)" "$(errs "$FLOOR_LINE")" "-"
  printf '%-32s %10s %8s %10s %10s %7s  %s\n' "fixed ${RATE}/s open loop, c$OL_CONNS" "$(fmt "$OL_ACH")" "$(fmt "$OL_ACH")" \
    "$(kv "$OL_LINE" lat_p50_ms)" "$OL_P99" "$OL_ERRS" "$OL_CPU"
  echo
  echo "goals:"
  printf '  %-34s %-30s %-16s %s\n' "batched ingest / raw producer" "$(fmt "$B_REC") / $(fmt "$PP_RATE") = $RATIO" "goal >= 0.9" "$V_RATIO"
  printf '  %-34s %-30s %-16s %s\n' "batched ingest / keyed producer" "$(fmt "$B_REC") / $(fmt "$KEYED_RATE") = $RATIO_KEYED" "goal >= 0.9" "$V_RATIO_KEYED"
  printf '  %-34s %-30s %-16s %s\n' "batched ingest / keyed + headers" "$(fmt "$B_REC") / $(fmt "$KEYED_CE_RATE") = $RATIO_KEYED_CE" "(context)" "-"
  printf '  %-34s %-30s %-16s %s\n' "single-frame req/s" "$(fmt "$S_RPS")" "goal >= 25,000" "$V_SINGLE"
  printf '  %-34s %-30s %-16s %s\n' "p99 at $(fmt "$RATE") req/s (open loop)" "$OL_P99 ms" "goal < 5 ms" "$V_P99"
  echo
  echo "details:"
  echo "  raw producer: $PP_N records of ~$AVG_BYTES B (the same JSON frames), topic $RAW_TOPIC with $RAW_PARTS partitions, no key"
  echo "    (sticky partitioner), --throughput -1, $PP_MB MB/s; latency avg $PP_AVG / p95 $PP_P95 / p99.9 $PP_P999 / max $PP_MAX ms"
  echo "    (includes waiting in the producer's own buffer). Props: ${PRODUCER_PROPS[*]:1}"
  echo "  floor: one connection, one request at a time: the gateway answers after the broker's ack, so p50 here is the"
  echo "    per-request floor (parse + linger.ms + acks=all round trip). A closed-loop client gets at most"
  echo "    connections / latency req/s (Little's law), hence -c$CONNS for the single-frame run."
  echo "  single/batch: wrk closed loop, -t$THREADS; latencies are wrk's (closed loop, not corrected for coordinated omission);"
  echo "    errors = non-2xx + socket errors; single: non-2xx $(kv "$SINGLE_LINE" non2xx)$(codes_note "$SINGLE_LINE"), p99.9 $(kv "$SINGLE_LINE" lat_p999_ms) ms;"
  echo "    batch: ~$((AVG_BYTES * BATCH / 1024)) KB bodies ($BENCH_BATCH_FORMAT), non-2xx $(kv "$BATCH_LINE" non2xx)$(codes_note "$BATCH_LINE"), p99.9 $(kv "$BATCH_LINE" lat_p999_ms) ms."
  echo "  open loop: target ${RATE}/s, achieved $(fmt "$OL_ACH")/s over $(kv "$OL_LINE" duration_s)s after ${LATENCY_WARMUP_S}s warm-up; latency from the"
  echo "    intended send time: p90 $(kv "$OL_LINE" lat_p90_ms) / p99.9 $(kv "$OL_LINE" lat_p999_ms) / max $(kv "$OL_LINE" lat_max_ms) ms; service time from the actual"
  echo "    send: p50 $(kv "$OL_LINE" svc_p50_ms) / p99 $(kv "$OL_LINE" svc_p99_ms) ms; generator's own lag p99 $(kv "$OL_LINE" genlag_p99_ms) ms;"
  echo "    codes $(kv "$OL_LINE" codes), io errors $(kv "$OL_LINE" io_errors), timeouts $(kv "$OL_LINE" timeouts), unsent $(kv "$OL_LINE" unsent)."
  echo "    gateway JVM's GC pauses during the recorded open loop: $OL_GC ($(basename "$GC_LOG"))."
  cpu_of() { cut -d/ -f"$2" <<<"$1"; }
  EFF_PP=$(awk -v r="$PP_RATE" -v a="$(cpu_of "$PP_CPU" 1)" -v b="$(cpu_of "$PP_CPU" 2)" 'BEGIN{ c = a + b; printf "%.0f", (c > 0 ? r / c : 0) }')
  EFF_S=$(awk -v r="$S_RPS" -v c="$(cpu_of "$SINGLE_CPU" 1)" 'BEGIN{ printf "%.0f", (c > 0 ? r / c : 0) }')
  EFF_B=$(awk -v r="$B_REC" -v c="$(cpu_of "$BATCH_CPU" 1)" 'BEGIN{ printf "%.0f", (c > 0 ? r / c : 0) }')
  echo "  records per CPU-second (less sensitive to a busy machine than the rates): raw producer $(fmt "$EFF_PP")"
  echo "    (producer JVM + gateway JVM, i.e. broker), single frames $(fmt "$EFF_S") and batches $(fmt "$EFF_B") (gateway JVM"
  echo "    with its broker, load generator excluded); batch / raw = $(awk -v a="$EFF_B" -v b="$EFF_PP" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}')."
  echo "  warm-up: ${WARM_S}s of wrk steps (${WARMUP_S}s single + ${WARMUP_S}s batches) until the gateway's JIT compiled < ${JIT_SETTLED_MS} ms per pair: settled=${JIT_SETTLED}, last pair ${JIT_STEP_MS} ms"
  echo "  keyed raw producer: bench/KeyedProducer.java, the same frames and producer props, each keyed by its camera_id"
  echo "    (as the gateway keys them), topic $KEYED_TOPIC with $PARTITIONS partitions, no headers, ${PRODUCER_S}s after 3s unrecorded."
  echo "  keyed + CloudEvents headers: the same, each record also with the six CloudEvents headers the gateway writes"
  echo "    (-Dkeyed.headers=cloudevents), topic $KEYED_CE_TOPIC: the gateway's records without HTTP and validation."
  echo "  order: warm-up ${WARM_S}s -> producer -> keyed producer -> keyed + headers -> floor -> open loop -> single -> batch; between runs the harness waits up to"
  echo "    ${SETTLE_MAX_S}s for the gateway's consumer lag (kafka_consumer_lag) to drain (last: $SETTLE_NOTE)."
  echo "  files: $(basename "$RAW") (tool output), $(basename "$GW_LOG"), $(basename "$GC_LOG"), metrics-$STAMP.txt"
  echo "SUMMARY stamp=$STAMP setting=${LABEL:-default} roles=$ROLES broker=$BROKER commit=$COMMIT nproc=$NCPU mem_gib=$(awk '/MemTotal/{printf "%.0f", $2/1048576}' /proc/meminfo) load1=${LOAD_BEFORE%% *} raw_rps=$PP_RATE single_rps=$S_RPS single_p99_ms=$(kv "$SINGLE_LINE" lat_p99_ms) batch_rec_s=$B_REC ratio=$RATIO keyed_rps=$KEYED_RATE ratio_keyed=$RATIO_KEYED keyed_ce_rps=$KEYED_CE_RATE ratio_keyed_ce=$RATIO_KEYED_CE floor_p50_ms=$(kv "$FLOOR_LINE" lat_p50_ms) ol_p99_ms=$OL_P99 ol_achieved=$OL_ACH other_cpu_max=$NOISE warmup_s=$WARM_S jit_settled=$JIT_SETTLED"
} >"$REPORT"
cat "$REPORT"
log "report: $REPORT"

if [[ "$STRICT" == 1 && ( "$V_RATIO" != PASS || "$V_SINGLE" != PASS || "$V_P99" != PASS ) ]]; then
  log "BENCH_STRICT=1 and a goal was missed"
  exit 1
fi
