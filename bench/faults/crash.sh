#!/usr/bin/env bash
# Gateway crash fault test (issue 9 points 1 and 7): the fat jar on embedded Kafka with a Redis store
# and the demo LLM (declared quota), fed frames with a fire in every one from many cameras, SIGKILLed
# mid-stream, restarted on the same data directory. Then: frames answered 202 vs in detection-results,
# cameras whose newest durable frame was assessed within CRASH_WAIT_S, tasks stored twice.
#
#   bench/faults/crash.sh                 # one run with the defaults below
#   CRASH_RUNS=3 bench/faults/crash.sh    # three runs, one summary line each
#
# Knobs (environment): CRASH_CAMERAS (200), CRASH_RATE frames/s (2000), CRASH_LOAD_S (40),
# CRASH_KILL_AT_S (25: SIGKILL after this many seconds of load), CRASH_WAIT_S (120), CRASH_QUIET_S
# (unset; else the first half of the cameras falls quiet this many seconds before the kill, while the
# rest keep streaming: their newest frames are then held when the kill comes),
# CRASH_LLM_KEYS (4) x CRASH_LLM_QPS (50) = declared calls/s, CRASH_LLM_LATENCY_MS (300), CRASH_JAR (the jar).
set -euo pipefail
cd "$(dirname "$0")/../.."
CAMERAS=${CRASH_CAMERAS:-200}
RATE=${CRASH_RATE:-2000}
LOAD_S=${CRASH_LOAD_S:-40}
KILL_AT=${CRASH_KILL_AT_S:-25}
WAIT_S=${CRASH_WAIT_S:-120}
KEYS=${CRASH_LLM_KEYS:-4}
QPS=${CRASH_LLM_QPS:-50}
LATENCY=${CRASH_LLM_LATENCY_MS:-300}
RUNS=${CRASH_RUNS:-1}
if [ -n "${CRASH_QUIET_S:-}" ]; then QUIET_AFTER=$((KILL_AT - CRASH_QUIET_S)); else QUIET_AFTER=1000000; fi
JAR=${CRASH_JAR:-target/argus-gateway.jar}
[ -f "$JAR" ] || mvn -B -ntp -q -DskipTests package
DRIVER=$(mktemp -d /tmp/argus-crash-driver.XXXXXX)
cp "$JAR" "$DRIVER/argus-gateway.jar"   # a rebuild during the runs must not change the jar under them
JAR="$DRIVER/argus-gateway.jar"
javac -cp "$JAR" -d "$DRIVER" bench/faults/CrashDriver.java
driver() { java -cp "$JAR:$DRIVER" CrashDriver "$@"; }
command -v redis-server >/dev/null || { echo "redis-server is needed (apt-get install redis-server)"; exit 2; }

# N distinct free ports (all sockets held open until every port is picked, so none repeats).
free_ports() { python3 -c 'import socket,sys
ss=[socket.socket() for _ in range(int(sys.argv[1]))]
[s.bind(("127.0.0.1",0)) for s in ss]
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$1"; }

wait_ready() { # port pid log
  for _ in $(seq 1 240); do
    kill -0 "$2" 2>/dev/null || { echo "gateway exited:"; tail -30 "$3"; return 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/health/ready")" = 200 ] && return 0
    sleep 0.5
  done
  echo "gateway not ready after 120 s"; tail -30 "$3"; return 1
}

one_run() {
  local run=$1 dir http kport cport rport ctlport gw redis_pid
  dir=$(mktemp -d /tmp/argus-crash.XXXXXX)
  read -r http kport cport rport ctlport <<< "$(free_ports 5)"
  redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync everysec --dir "$dir" \
    > "$dir/redis.log" 2>&1 &
  redis_pid=$!
  cat > "$dir/conf.json" <<JSON
{"kafka": {"embedded": {"dataDir": "$dir/kafka", "port": $kport, "controllerPort": $ctlport},
           "topics": {"detections": {"name": "detection-results", "partitions": 16}}},
 "redis": {"url": "redis://127.0.0.1:$rport"},
 "demo": {"cameras": 1, "fps": 0.01, "llmKeys": $KEYS, "llmQps": $QPS, "llmPort": $cport,
          "llmLatencyMs": $LATENCY, "llmErrorRate": 0, "llmHangRate": 0}}
JSON
  start_gateway() {
    env -u ARGUS_REDIS_URL -u ARGUS_LLM_API_KEYS -u ARGUS_LLM_KEYS_FILE ARGUS_HTTP_PORT="$http" \
      java -Xmx1g -jar "$JAR" -conf "$dir/conf.json" --demo >> "$dir/gateway-$1.log" 2>&1 &
    gw=$!
    wait_ready "$http" "$gw" "$dir/gateway-$1.log"
  }
  echo "== run $run: $dir (http $http, kafka $kport, redis $rport)"
  start_gateway 1
  driver load "$http" "$CAMERAS" "$RATE" "$LOAD_S" "$dir/accepted.txt" "$QUIET_AFTER" > "$dir/load.log" 2>&1 &
  local load=$!
  until grep -q "load started" "$dir/load.log" 2>/dev/null; do sleep 0.2; done
  sleep "$KILL_AT"
  kill -9 "$gw"
  echo "SIGKILL at ${KILL_AT}s of load"
  wait "$load" || true
  grep -E "first failure|load done" "$dir/load.log"
  start_gateway 2
  local restarted
  restarted=$(date +%s%3N)
  echo "restarted"
  driver check "127.0.0.1:$kport" detection-results "$rport" \
    "$dir/accepted.txt" crash- "$WAIT_S" "$restarted" | tee "$dir/check.log"
  kill "$gw"; wait "$gw" 2>/dev/null || true
  kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true
  echo "run $run $(grep '^RESULT' "$dir/check.log") dir=$dir" >> "$SUMMARY"
}

SUMMARY=$(mktemp /tmp/argus-crash-summary.XXXXXX)
for r in $(seq 1 "$RUNS"); do one_run "$r"; done
echo "== summary (cameras=$CAMERAS rate=$RATE/s load=${LOAD_S}s kill_at=${KILL_AT}s quiet_half_before_kill=${CRASH_QUIET_S:-none}s wait=${WAIT_S}s llm=${KEYS}x${QPS}/s latency=${LATENCY}ms)"
cat "$SUMMARY"
