#!/usr/bin/env bash
# Overload fault test (issue 9 point 6): the fat jar (embedded Kafka, in-memory store, rules assessor)
# is first driven closed-loop to find its sustainable ingest rate (accepted frames/s with every answer a
# 202), then offered OVL_FACTOR (5) times that rate, open loop, for OVL_SECONDS (600). Expected: writes
# beyond what it can take get 429/503 with Retry-After (never a 5xx of another kind, a dropped
# connection or a hang), the heap stays flat (jstat and /metrics sampled every OVL_SAMPLE_S), and every
# frame answered 202 is processed afterwards (the bridge's processed-record count reaches the accepted
# count and its consumer lag drains to 0).
#
#   bench/faults/overload.sh                # the real run: 10 minutes of overload
#   OVL_QUICK=1 bench/faults/overload.sh    # a quick check: 10 s warm-up, 15 s calibration, 60 s of overload
#
# Knobs: OVL_SECONDS (600), OVL_FACTOR (5), OVL_WARMUP_S (20), OVL_CALIBRATE_S (30), OVL_BATCH frames per request (50),
# OVL_CAL_CONNS (128: enough clients that the calibration is bound by the gateway, not by client concurrency), OVL_CONNS (256), OVL_RATE (skip the calibration: the sustainable rate, frames/s),
# OVL_HEAP (-Xmx512m), OVL_DRAIN_S (900: the most it waits for the backlog), OVL_SAMPLE_S (10), OVL_JAR.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${OVL_QUICK:-}" ]; then : "${OVL_SECONDS:=60}" "${OVL_CALIBRATE_S:=15}" "${OVL_WARMUP_S:=10}"; fi
SECONDS_LOAD=${OVL_SECONDS:-600}
FACTOR=${OVL_FACTOR:-5}
CAL_S=${OVL_CALIBRATE_S:-30}
WARMUP_S=${OVL_WARMUP_S:-20}
BATCH=${OVL_BATCH:-50}
CAL_CONNS=${OVL_CAL_CONNS:-128}
CONNS=${OVL_CONNS:-256}
HEAP=${OVL_HEAP:--Xmx512m}
DRAIN_S=${OVL_DRAIN_S:-900}
SAMPLE_S=${OVL_SAMPLE_S:-10}
JAR=${OVL_JAR:-target/argus-gateway.jar}
[ -f "$JAR" ] || mvn -B -ntp -q -o package -DskipTests -DskipITs
DIR=$(mktemp -d /tmp/argus-overload.XXXXXX)
cp "$JAR" "$DIR/argus-gateway.jar"   # a rebuild during the run must not change the jar under it
javac -d "$DIR" bench/faults/OverloadDriver.java
driver() { java -Xmx256m -cp "$DIR" OverloadDriver "$@"; }
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT=bench/results/overload-$STAMP.txt
mkdir -p bench/results

read -r HTTP KPORT CPORT <<< "$(python3 -c 'import socket
ss=[socket.socket() for _ in range(3)]
[s.bind(("127.0.0.1",0)) for s in ss]
print(" ".join(str(s.getsockname()[1]) for s in ss))')"
cat > "$DIR/conf.json" <<JSON
{"kafka": {"embedded": {"dataDir": "$DIR/kafka", "port": $KPORT, "controllerPort": $CPORT}},
 "redis": {"url": ""}}
JSON
env -u ARGUS_REDIS_URL -u ARGUS_LLM_API_KEYS -u ARGUS_LLM_KEYS_FILE -u ARGUS_KAFKA_MODE -u ARGUS_KAFKA_BOOTSTRAP_SERVERS \
  -u ALGO_KAFKA_BOOTSTRAP_SERVERS -u ALGO_ENABLE_KAFKA_STREAMING ARGUS_HTTP_PORT="$HTTP" \
  java $HEAP -jar "$DIR/argus-gateway.jar" -conf "$DIR/conf.json" > "$DIR/gateway.log" 2>&1 &
GW=$!
SAMPLER=
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  kill "$GW" 2>/dev/null && { for _ in $(seq 1 30); do kill -0 "$GW" 2>/dev/null || break; sleep 1; done; kill -9 "$GW" 2>/dev/null || true; }
  rm -rf "$DIR/kafka"
}
trap cleanup EXIT
for _ in $(seq 1 240); do
  kill -0 "$GW" 2>/dev/null || { echo "gateway exited:"; tail -30 "$DIR/gateway.log"; exit 1; }
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP/health/ready")" = 200 ] && break
  sleep 0.5
done
echo "gateway pid $GW on http $HTTP, dir $DIR"

metric() { # name-regex: the sum of matching sample values
  curl -s "http://127.0.0.1:$HTTP/metrics" | awk -v re="$1" '$0 !~ /^#/ && $1 ~ re {s += $NF} END {printf "%.0f", s}'
}
bridge_processed() { metric '^kafka_event_processing_duration_seconds_count[{].*stage="bridge"'; }
bridge_lag() { metric '^kafka_consumer_lag[{].*group="argus-bridge"'; }
heap_sample() { # label
  local j
  j=$(jstat -gc "$GW" | tail -1)
  printf '%s t=%s jstat{%s} live_after_gc_mb=%s heap_used_mb=%s gc_pauses=%s gc_pause_s=%s\n' "$1" "$(date -u +%T)" \
    "$(echo "$j" | awk '{printf "OU_mb=%.0f EU_mb=%.0f YGC=%s YGCT=%s FGC=%s FGCT=%s GCT=%s", $8/1024, $6/1024, $13, $14, $15, $16, $NF}')" \
    "$(($(metric '^jvm_gc_live_data_size_bytes') / 1048576))" "$(($(metric '^jvm_memory_used_bytes[{].*area="heap"') / 1048576))" \
    "$(metric '^jvm_gc_pause_seconds_count')" "$(curl -s "http://127.0.0.1:$HTTP/metrics" | awk '$1 ~ /^jvm_gc_pause_seconds_sum/ {s += $NF} END {printf "%.2f", s}')"
}
wait_drained() { # target-count max-seconds: until the bridge processed target records and its lag is 0
  local t0=$SECONDS
  while [ $((SECONDS - t0)) -lt "$2" ]; do
    [ "$(bridge_processed)" -ge "$1" ] && [ "$(bridge_lag)" = 0 ] && { echo $((SECONDS - t0)); return 0; }
    sleep 2
  done
  echo "timeout"; return 1
}

{
  echo "# Overload fault test $STAMP ($(git rev-parse --short HEAD), nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "gateway: embedded Kafka, in-memory store, rules assessor, $HEAP; batches of $BATCH frames (NDJSON) over 200 cameras"
} | tee "$REPORT"
heap_sample "start" | tee -a "$REPORT"

if [ -n "${OVL_RATE:-}" ]; then
  RATE=$OVL_RATE
  echo "sustainable rate given: $RATE frames/s" | tee -a "$REPORT"
else
  # A fresh JVM is slow until JIT-compiled: the warm-up's figures are thrown away.
  driver closed "$HTTP" "$WARMUP_S" "$CAL_CONNS" "$BATCH" "$DIR/warmup.properties" > "$DIR/warmup.log"
  driver closed "$HTTP" "$CAL_S" "$CAL_CONNS" "$BATCH" "$DIR/calibrate.properties" > "$DIR/calibrate.log"
  RATE=$(grep '^accepted_frames_per_s=' "$DIR/calibrate.properties" | cut -d= -f2)
  echo "calibration: closed loop, $CAL_CONNS clients, ${CAL_S}s: $RATE frames/s accepted ($(grep '^status_' "$DIR/calibrate.properties" | tr '\n' ' '))" | tee -a "$REPORT"
  d=$(wait_drained "$(metric '^detection_total')" "$DRAIN_S") || true
  echo "calibration backlog processed in ${d}s" | tee -a "$REPORT"
fi
OFFER=$((RATE * FACTOR))
heap_sample "before-overload" | tee -a "$REPORT"
echo "overload: $OFFER frames/s offered (${FACTOR}x), open loop, up to $CONNS clients, ${SECONDS_LOAD}s" | tee -a "$REPORT"
( while true; do sleep "$SAMPLE_S"; heap_sample "during"; done ) > "$DIR/heap.log" 2>&1 &
SAMPLER=$!
driver open "$HTTP" "$SECONDS_LOAD" "$OFFER" "$CONNS" "$BATCH" "$DIR/overload.properties" > "$DIR/overload.log"
kill "$SAMPLER" 2>/dev/null || true; SAMPLER=
sed 's/^/  /' "$DIR/overload.properties" | tee -a "$REPORT"
N=$(wc -l < "$DIR/heap.log")
{ echo "heap/GC during the overload (first, middle, last of $N samples every ${SAMPLE_S}s):"
  sed -n "1p;$(((N + 1) / 2))p;${N}p" "$DIR/heap.log"; } | tee -a "$REPORT"
heap_sample "after-overload" | tee -a "$REPORT"

TOTAL_ACCEPTED=$(metric '^detection_total')
TOPIC=$(metric '^kafka_events_published_total[{].*topic="detection-results"')
echo "accepted by the gateway (detection_total): $TOTAL_ACCEPTED; produced to detection-results: $TOPIC" | tee -a "$REPORT"
DRAIN=$(wait_drained "$TOTAL_ACCEPTED" "$DRAIN_S") || true
PROCESSED=$(bridge_processed)
heap_sample "after-drain" | tee -a "$REPORT"
{
  echo "processed by the bridge: $PROCESSED of $TOTAL_ACCEPTED accepted (lag $(bridge_lag)), backlog drained in ${DRAIN}s"
  BAD=$(grep -E '^status_' "$DIR/overload.properties" | grep -vE '^status_(202|429|503)=' | tr '\n' ' ' || true)
  MISSING=$(grep '^refusals_without_retry_after=' "$DIR/overload.properties" | cut -d= -f2)
  OK=yes
  [ -n "$BAD" ] && { echo "FAIL: answers other than 202/429/503: $BAD"; OK=no; }
  [ "$MISSING" != 0 ] && { echo "FAIL: $MISSING refusals without Retry-After"; OK=no; }
  [ "$DRAIN" = timeout ] && { echo "FAIL: the backlog was not processed within ${DRAIN_S}s"; OK=no; }
  [ "$PROCESSED" -lt "$TOTAL_ACCEPTED" ] && { echo "FAIL: fewer processed than accepted"; OK=no; }
  echo "RESULT ok=$OK rate=$RATE offered=$OFFER accepted=$TOTAL_ACCEPTED processed=$PROCESSED drain_s=$DRAIN $(grep -E '^status_' "$DIR/overload.properties" | tr '\n' ' ')"
} | tee -a "$REPORT"
cp "$DIR/heap.log" "bench/results/overload-$STAMP-heap.txt"
echo "report: $REPORT (gateway log $DIR/gateway.log)"
