#!/usr/bin/env bash
# The synthetic pipeline run of issue 4: the gateway in demo mode (embedded Kafka, simulated cameras and
# LLM provider) for a while, then what came in, what the bridge made of it, and what alerts opened,
# read from the gateway's own /metrics. Usage: bench/pipeline/run.sh [seconds] (default 300);
# PIPELINE_CAMERAS / PIPELINE_FPS change the load (default 50 cameras x 2 fps).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN="${1:-300}"
CAMERAS="${PIPELINE_CAMERAS:-50}"
FPS="${PIPELINE_FPS:-2}"
[ -f target/argus-gateway.jar ] || mvn -B -q -ntp -DskipTests package
work=$(mktemp -d)
cp target/argus-gateway.jar "$work/gateway.jar"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
kport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
lport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/conf.json" <<JSON
{"kafka": {"embedded": {"dataDir": "$work/kafka", "port": $kport, "controllerPort": $cport}},
 "demo": {"cameras": $CAMERAS, "fps": $FPS, "llmPort": $lport}}
JSON
env -u ARGUS_REDIS_URL -u ARGUS_LLM_API_KEYS -u ARGUS_LLM_KEYS_FILE ARGUS_HTTP_PORT="$port" \
  java -jar "$work/gateway.jar" -conf "$work/conf.json" --demo > "$work/gateway.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$port/health/ready" >/dev/null && break; sleep 1; done
curl -sf "localhost:$port/health/ready" >/dev/null || { tail -40 "$work/gateway.log"; exit 1; }
echo "running ${CAMERAS} cameras x ${FPS} fps for ${SECONDS_TO_RUN} s ..."
sleep "$SECONDS_TO_RUN"
m=$(curl -sf "localhost:$port/metrics")
sum() { echo "$m" | grep -E "^$1" | awk '{s+=$NF} END {printf "%d", s}'; }
echo "== ${CAMERAS} cameras x ${FPS} fps, ${SECONDS_TO_RUN} s (demo mode, embedded Kafka, simulated LLM) =="
echo "frames in:              $(sum 'detection_total\{')"
echo "tasks made by bridge:   $(sum 'argus_tasks_total\{')"
for r in first_frame high_risk_label zone_intrusion scene_change interval; do
  echo "  $r: $(sum "argus_tasks_total\\{reason=\"$r\"")"
done
echo "frames coalesced:       $(sum 'argus_tasks_coalesced_total')"
echo "assessments stored:     $(sum 'argus_assessments_total\{')  (llm $(sum 'argus_assessments_total\{level="[a-z]*",source="llm"'), rules $(sum 'argus_assessments_total\{level="[a-z]*",source="rules"'))"
echo "alerts opened:          $(sum 'argus_alerts_total\{level="[a-z]*",status="open"')"
echo "alert events published: $(sum 'argus_alerts_total\{')"
echo "LLM calls by status:"
echo "$m" | grep -E '^llm_requests_total\{' | sed -E 's/.*status="([a-z_]+)".* ([0-9.E]+)$/\1 \2/' | awk '{s[$1]+=$2} END {for (k in s) printf "  %s: %d\n", k, s[k]}'
