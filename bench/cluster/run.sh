#!/usr/bin/env bash
# Cluster benchmark (issue 8): 1, 2 and 3 gateway nodes in cluster mode on one key pool.
#   bench/cluster/run.sh                        # ~15 minutes on an idle 2-core machine (JIT warm-up per size)
#   BENCH_CLUSTER_SIZES=2 BENCH_CLUSTER_LOAD_S=15 bench/cluster/run.sh   # quick
# For each size: a fresh set of topics, the nodes started with --cluster (the same key file, the same
# simulated provider), wrk posting single frames to every node at once for BENCH_CLUSTER_LOAD_S, then
# (2 and 3 nodes) a SIGKILL of the last node and the seconds until the survivors own every partition of
# the bridge, llm and aggregator groups (polled from GET /api/v1/cluster). Figures: ingest req/s (sum over
# the nodes), the provider's own counters over the load window — admitted ÷ quota (keys × qps × seconds)
# and the 429 share — and the takeover seconds. One Kafka broker (a JVM from the fat jar's classes) and one
# redis-server of its own serve all sizes. Writes bench/results/cluster-<UTC>.txt naming machine and commit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAR="${BENCH_JAR:-$ROOT/target/argus-gateway.jar}"
SIZES="${BENCH_CLUSTER_SIZES:-1,2,3}"
LOAD_S="${BENCH_CLUSTER_LOAD_S:-30}"        # wrk run per size
WARM_S="${BENCH_CLUSTER_WARM_S:-5}"         # seconds of load before the key pool's window opens
# Before that, the same load in 10 s steps until every node's JIT settled (each compiled less than
# BENCH_CLUSTER_JIT_SETTLED_MS in the last step; at most BENCH_CLUSTER_WARMUP_MAX_S): a fresh JVM's C2 compiler
# holds a core for its first minutes of load, and three nodes compiling at once on two cores starve everything.
JIT_SETTLED_MS="${BENCH_CLUSTER_JIT_SETTLED_MS:-1000}"
WARMUP_MAX_S="${BENCH_CLUSTER_WARMUP_MAX_S:-300}"
CONNS="${BENCH_CLUSTER_CONNS:-8}"           # wrk connections per node
PACE_MS="${BENCH_CLUSTER_PACE_MS:-}"        # each wrk connection waits this long between requests (empty: flat out)
KEYS="${BENCH_CLUSTER_KEYS:-3}"             # provider keys
QPS="${BENCH_CLUSTER_QPS:-10}"              # each key's QPS at the provider (and in the key file)
PARTITIONS="${BENCH_CLUSTER_PARTITIONS:-16}"
NODE_OPTS="${BENCH_CLUSTER_JAVA_OPTS:--Xms256m -Xmx768m}"
READY_S="${BENCH_CLUSTER_READY_S:-180}"
export BENCH_CAMERAS="${BENCH_CAMERAS:-400}"  # enough cameras that the LLM demand is above the quota
RESULTS="$ROOT/bench/results"
TS="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$RESULTS/cluster-$TS.txt"

TMP="$(mktemp -d /tmp/argus-cluster-bench.XXXXXX)"
PIDS=()
cleanup() {
  local rc=$?
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$p" 2>/dev/null || true
  done
  if (( rc != 0 )); then rm -rf "$TMP.failed"; mv "$TMP" "$TMP.failed" && log "exit $rc: the nodes' logs are in $TMP.failed"; fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# $1 distinct free ports (all bound at once, so no two are the same)
free_ports() { python3 -c 'import socket,sys
ss=[socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1",0))
print(" ".join(str(s.getsockname()[1]) for s in ss))' "${1:-1}"; }
free_port() { free_ports 1; }
log() { echo "bench/cluster: $*" >&2; }

for tool in wrk redis-server python3; do
  command -v "$tool" >/dev/null || { log "$tool is missing (apt-get install wrk redis-server python3)"; exit 1; }
done
if [[ ! -f "$JAR" ]]; then
  log "$JAR is missing; building it"
  (cd "$ROOT" && mvn -B -q -o -DskipTests -DskipITs package)
fi
COPY="$TMP/argus-gateway.jar"   # a private copy: others may rebuild target/ meanwhile
cp "$JAR" "$COPY" && unzip -tqq "$COPY" >/dev/null

# ---- Kafka: one KRaft broker from the fat jar's classes ------------------------------------------
KPORT=$(free_port); CPORT=$(free_port)
cat > "$TMP/kraft.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$KPORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KPORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$TMP/kafka
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
java -cp "$COPY" kafka.tools.StorageTool format -t YXJndXMtY2x1c3Rlci0xMg -c "$TMP/kraft.properties" >/dev/null
java -Xmx512m -XX:+UseSerialGC -cp "$COPY" kafka.Kafka "$TMP/kraft.properties" > "$TMP/broker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do (echo > /dev/tcp/127.0.0.1/$KPORT) 2>/dev/null && break; sleep 1; done
log "broker on 127.0.0.1:$KPORT"

# ---- Redis and the provider ----------------------------------------------------------------------
RPORT=$(free_port)
redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no > "$TMP/redis.log" 2>&1 &
PIDS+=($!)
PPORT=$(free_port)
java -Xmx256m -XX:+UseSerialGC -cp "$COPY" "$HERE/Provider.java" "$PPORT" "$KEYS" "$QPS" "$TMP/keys.yaml" > "$TMP/provider.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do grep -q "provider ready" "$TMP/provider.log" 2>/dev/null && break; sleep 1; done
grep -q "provider ready" "$TMP/provider.log" || { log "the provider did not start:"; cat "$TMP/provider.log" >&2; exit 1; }

provider_totals() {  # admitted and 429s summed over the keys
  curl -fsS "http://127.0.0.1:$PPORT/v1/stats" | python3 -c 'import json,sys
d=json.load(sys.stdin); print(sum(v["admitted"] for v in d.values()), sum(v["rate_limited"] for v in d.values()))'
}

# Partitions of the three pipeline groups owned by the live members, from one node's view: "members covered"
ownership() {
  curl -fsS --max-time 5 "http://127.0.0.1:$1/api/v1/cluster" | python3 -c 'import json,sys
v=json.load(sys.stdin); prefix=sys.argv[1]; n=int(sys.argv[2])
want={"bridge":"detections","llm":"tasks","aggregator":"results"}
ok=True
for stage,which in want.items():
  topic=prefix+"-"+which
  parts=sorted(p for m in v["members"] for p in m.get("groups",{}).get(prefix+"-"+stage,{}).get(topic,[]))
  ok = ok and parts==list(range(n))
print(len(v["members"]), "yes" if ok else "no")' "$2" "$PARTITIONS" 2>/dev/null || echo "0 no"
}

# a node's JIT compile time so far in ms, or -1 (logged) when its /metrics does not answer
jit_ms() {
  local body
  body="$(curl -s --max-time 5 "http://127.0.0.1:$1/metrics")" || { log "the node on :$1 did not answer /metrics (curl exit $?)"; echo -1; return; }
  awk '/^jvm_compilation_time_ms_total/ {s += $NF} END {printf "%d", s}' <<< "$body"
}

# wrk on every node for $1 seconds (the measured load's connections and pacing), output to $TMP/wrk-<tag>-<i>.txt;
# their pids in LOAD_PIDS (not through $(...): a subshell's children cannot be waited for)
load_all() {
  local secs=$1 tag=$2
  LOAD_PIDS=()
  for i in $(seq 0 $((n - 1))); do
    BENCH_DELAY_MS="$PACE_MS" wrk -t1 -c"$CONNS" -d"${secs}s" -s "$ROOT/bench/single.lua" "http://127.0.0.1:${http[$i]}" > "$TMP/wrk-$tag-$i.txt" 2>&1 &
    LOAD_PIDS+=($!)
  done
}

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(java -version 2>&1 | head -1)"
commit="$(cd "$ROOT" && git rev-parse --short HEAD)$(cd "$ROOT" && git diff --quiet HEAD -- src 2>/dev/null || echo '+uncommitted')"
{
  echo "Argus cluster benchmark $TS"
  echo "machine: $machine; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "commit: $commit"
  echo "provider: $KEYS keys × $QPS QPS (quota $((KEYS * QPS))/s), 300 ms median latency; $BENCH_CAMERAS cameras; wrk -c$CONNS per node for ${LOAD_S}s${PACE_MS:+, each connection pacing ${PACE_MS} ms between requests}; $PARTITIONS partitions"
  echo
  printf '%-6s %12s %10s %16s %10s %12s %10s\n' nodes ingest_req/s ok_2s_share admitted/quota 429_share takeover_s jit_warmup
} > "$OUT"

IFS=',' read -r -a SIZE_LIST <<< "$SIZES"
for n in "${SIZE_LIST[@]}"; do
  prefix="bc$n$(date +%s)"
  redis-cli -p "$RPORT" flushall >/dev/null 2>&1 || true
  hz=(); http=(); node_pids=()
  read -r -a ports <<< "$(free_ports $((2 * n)))"
  for i in $(seq 0 $((n - 1))); do hz+=("${ports[$((2 * i))]}"); http+=("${ports[$((2 * i + 1))]}"); done
  members="$(printf '127.0.0.1:%s,' "${hz[@]}")"; members="${members%,}"
  topics=""
  for t in detections tasks results alerts dataQualityAlerts modelMetrics; do
    topics="$topics\"$t\": {\"name\": \"$prefix-$t\", \"partitions\": $([[ $t == modelMetrics ]] && echo 1 || echo "$PARTITIONS")},"
  done
  for i in $(seq 0 $((n - 1))); do
    cat > "$TMP/node-$n-$i.json" <<JSON
{"http": {"port": ${http[$i]}, "instances": 1},
 "kafka": {"mode": "external", "bootstrapServers": "127.0.0.1:$KPORT", "groupPrefix": "$prefix",
           "topics": {${topics%,}}, "producer": {"max.block.ms": "10000"}},
 "redis": {"url": "redis://127.0.0.1:$RPORT"},
 "llm": {"baseUrl": "http://127.0.0.1:$PPORT/v1", "model": "argus-sim-1", "keysFile": "$TMP/keys.yaml"},
 "quality": {"enabled": false},
 "cluster": {"enabled": true, "port": ${hz[$i]}, "members": "$members"}}
JSON
    env -u ARGUS_KAFKA_BOOTSTRAP_SERVERS -u ARGUS_REDIS_URL -u ARGUS_LLM_API_KEYS -u ARGUS_LLM_KEYS_FILE \
      -u ARGUS_CLUSTER -u ARGUS_CLUSTER_MEMBERS -u ARGUS_HTTP_PORT -u ARGUS_ROLES \
      java $NODE_OPTS -XX:+UseSerialGC -jar "$COPY" -conf "$TMP/node-$n-$i.json" --cluster > "$TMP/node-$n-$i.log" 2>&1 &
    node_pids+=($!); PIDS+=($!)
    if [[ $i == 0 ]]; then   # the first node creates the topics alone
      for _ in $(seq 1 "$READY_S"); do curl -fsS -o /dev/null "http://127.0.0.1:${http[0]}/health/ready" 2>/dev/null && break; sleep 1; done
    fi
  done
  deadline=$(( $(date +%s) + READY_S ))
  until read -r m c <<< "$(ownership "${http[0]}" "$prefix")" && [[ "$m" == "$n" && "$c" == yes ]]; do
    (( $(date +%s) > deadline )) && { log "$n node(s) not ready with every partition owned in ${READY_S}s; see $TMP"; tail -20 "$TMP/node-$n-0.log" >&2; exit 1; }
    sleep 1
  done
  # a node is listed once it joined the cluster, which may be before its HTTP server listens
  for i in $(seq 0 $((n - 1))); do
    until curl -fsS -o /dev/null "http://127.0.0.1:${http[$i]}/health/ready" 2>/dev/null; do
      (( $(date +%s) > deadline )) && { log "node $i of $n not ready in ${READY_S}s; see $TMP"; tail -20 "$TMP/node-$n-$i.log" >&2; exit 1; }
      sleep 1
    done
  done
  log "$n node(s) up and ready, every partition owned"

  warm_start=$(date +%s); settled=no
  declare -A jit_before=()
  for i in $(seq 0 $((n - 1))); do jit_before[$i]=$(jit_ms "${http[$i]}"); done
  while (( $(date +%s) - warm_start < WARMUP_MAX_S )); do
    load_all 10 "warm$n"
    wait "${LOAD_PIDS[@]}" || true
    grew_max=0
    for i in $(seq 0 $((n - 1))); do
      now_ms=$(jit_ms "${http[$i]}")
      if (( now_ms < 0 || ${jit_before[$i]} < 0 )); then grew=$JIT_SETTLED_MS; else grew=$(( now_ms - ${jit_before[$i]} )); fi
      jit_before[$i]=$now_ms
      (( grew > grew_max )) && grew_max=$grew
    done
    (( grew_max < JIT_SETTLED_MS )) && { settled=yes; break; }
  done
  warmup_s=$(( $(date +%s) - warm_start ))
  log "$n node(s): JIT warm-up ${warmup_s}s, settled=$settled (most compiled by a node in the last 10 s: ${grew_max} ms)"

  load_all "$LOAD_S" "$n"
  wrk_pids=("${LOAD_PIDS[@]}")
  # The key pool is judged in steady state: the window opens WARM_S into the load (frames have reached
  # the LLM stage and its queue is full) and closes when the load ends.
  sleep "$WARM_S"
  read -r adm0 rl0 <<< "$(provider_totals)"; t0=$(date +%s.%N)
  wait "${wrk_pids[@]}" || true
  read -r adm1 rl1 <<< "$(provider_totals)"; t1=$(date +%s.%N)
  rps=$(cat "$TMP"/wrk-"$n"-*.txt | awk '/Requests\/sec/ {s += $2} END {printf "%.0f", s}')
  reqs=$(cat "$TMP"/wrk-"$n"-*.txt | awk '/requests in/ {s += $1} END {print s + 0}')
  # not 202: wrk's non-2xx answers and its timeouts (no answer within 2 s)
  bad=$(cat "$TMP"/wrk-"$n"-*.txt | awk '/Non-2xx/ {s += $NF} /Socket errors/ {s += $NF} END {print s + 0}')
  admitted=$((adm1 - adm0)); limited=$((rl1 - rl0))
  ratio=$(python3 -c "print(f'{$admitted / ($KEYS * $QPS * ($t1 - $t0)):.2f}')")
  share=$(python3 -c "t=$admitted+$limited; print(f'{($limited / t if t else 0) * 100:.1f}%')")
  ok_share=$(python3 -c "print(f'{(1 - $bad / $reqs) * 100 if $reqs else 0:.1f}%')")

  takeover="-"
  if (( n >= 2 )); then
    victim=${node_pids[$((n - 1))]}
    t0=$(date +%s.%N)
    kill -KILL "$victim"
    until read -r m c <<< "$(ownership "${http[0]}" "$prefix")" && [[ "$m" == "$((n - 1))" && "$c" == yes ]]; do
      (( $(date +%s) - ${t0%.*} > 120 )) && { takeover=">120"; break; }
      sleep 0.2
    done
    [[ "$takeover" == "-" ]] && takeover=$(python3 -c "print(f'{$(date +%s.%N) - $t0:.1f}')")
  fi
  printf '%-6s %12s %10s %16s %10s %12s %10s\n' "$n" "$rps" "$ok_share" "$ratio" "$share" "$takeover" "${warmup_s}s/$settled" >> "$OUT"
  log "$n node(s): ingest $rps req/s, admitted/quota $ratio, 429 share $share, takeover ${takeover}s"
  for p in "${node_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${node_pids[@]}"; do for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 1; done; done
done

{
  echo
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "jit_warmup: the load before the measured one until every node compiled < ${JIT_SETTLED_MS} ms in 10 s (settled=no: gave up at ${WARMUP_MAX_S} s);"
  echo "admitted/quota and the 429 share come from the provider's own counters from ${WARM_S} s into the measured load to its end;"
  echo "takeover is SIGKILL → the first node's GET /api/v1/cluster shows the survivors owning every partition"
  echo "of the bridge, llm and aggregator groups (1 s refresh of the member map included)."
} >> "$OUT"
cat "$OUT"
