#!/usr/bin/env bash
# Starts the gateway in the background (embedded Kafka by default) and returns once it is ready.
#   scripts/start_all.sh [--with-monitoring] [gateway arguments, e.g. --demo or -conf my.json]
# Builds the jar when it is missing or older than the sources. Logs: logs/argus.log (logback, rolling),
# logs/argus.out (the JVM's own output); pid: logs/pids/argus.pid. --with-monitoring also starts
# Debian's Prometheus (installed when missing) on ARGUS_PROMETHEUS_PORT (default 9090) with the rules of
# docker/prometheus/alerts.yml, scraping the gateway: logs/prometheus.log, logs/pids/prometheus.pid.
# Environment: every ARGUS_* override of the gateway (ARGUS_HTTP_PORT, ...), ARGUS_START_TIMEOUT
# (seconds to wait for readiness, default 120), JAVA_OPTS (default -XX:MaxGCPauseMillis=20: README "Operations").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOGS=$ROOT/logs
PIDS=$LOGS/pids
JAR=target/argus-gateway.jar
TIMEOUT=${ARGUS_START_TIMEOUT:-120}
PROM_PORT=${ARGUS_PROMETHEUS_PORT:-9090}

monitoring=false
args=()
for a in "$@"; do
  if [[ "$a" == "--with-monitoring" ]]; then monitoring=true; else args+=("$a"); fi
done

# running <pidfile> <marker>: true when the pid file names a live process whose command line has marker
running() {
  [[ -f "$1" ]] || return 1
  local pid; pid=$(cat "$1")
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

if running "$PIDS/argus.pid" argus-gateway.jar; then
  echo "start_all: the gateway is already running (pid $(cat "$PIDS/argus.pid")); nothing done (scripts/status.sh shows it)"
  exit 0
fi
mkdir -p "$PIDS"
rm -f "$PIDS/argus.pid" "$PIDS/argus.url"

if [[ ! -f "$JAR" ]] || [[ -n "$(find pom.xml src webroot -newer "$JAR" -type f -not -path '*/node_modules/*' -print -quit)" ]]; then
  echo "start_all: building $JAR"
  mvn -B -ntp -q -DskipTests package
fi

echo "start_all: starting the gateway ${args[*]:-}"
: >"$LOGS/argus.out"
# ARGUS_LOG_FILE switches logback to its rolling file (src/main/resources/logback-file.xml).
# shellcheck disable=SC2086
ARGUS_LOG_FILE="$LOGS/argus.log" nohup java ${JAVA_OPTS:--XX:MaxGCPauseMillis=20} -jar "$JAR" "${args[@]}" >>"$LOGS/argus.out" 2>&1 &
pid=$!
echo "$pid" >"$PIDS/argus.pid"

fail() {
  echo "start_all: $1" >&2
  for f in "$LOGS/argus.out" "$LOGS/argus.log"; do
    [[ -s "$f" ]] && { echo "--- last lines of $f" >&2; tail -n 30 "$f" >&2; }
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "start_all: the gateway is still running as pid $pid; scripts/stop_all.sh stops it" >&2
  else
    rm -f "$PIDS/argus.pid"
  fi
  exit 1
}

# The gateway prints its port once deployed ("Argus is running: dashboard http://localhost:<port>/"),
# which also covers a port set in a -conf file; then /health/ready decides.
port=""
ready=""
deadline=$((SECONDS + TIMEOUT))
while ((SECONDS < deadline)); do
  kill -0 "$pid" 2>/dev/null || fail "the gateway exited during start-up"
  if [[ -z "$port" ]]; then
    port=$(sed -n 's|.*Argus is running: dashboard http://localhost:\([0-9]*\)/.*|\1|p' "$LOGS/argus.out" | head -n 1)
  fi
  if [[ -n "$port" ]]; then
    ready=$(curl -s -m 5 "http://127.0.0.1:$port/health/ready" || true)
    [[ "$ready" == '{"status":"UP"'* || "$ready" == '{"status":"DEGRADED"'* ]] && break
  fi
  sleep 1
done
((SECONDS < deadline)) || fail "the gateway was not ready within $TIMEOUT s (last readiness: ${ready:-no answer})"
echo "http://127.0.0.1:$port" >"$PIDS/argus.url"
status=$(sed -n 's|.*"status":"\([A-Z]*\)".*|\1|p' <<<"${ready%%,*}")
echo "start_all: gateway ready ($status), pid $pid"
echo "  dashboard  http://localhost:$port/"
echo "  metrics    http://localhost:$port/metrics"
echo "  readiness  http://localhost:$port/health/ready"
echo "  logs       $LOGS/argus.log (and $LOGS/argus.out)"

$monitoring || exit 0

if running "$PIDS/prometheus.pid" prometheus; then
  echo "start_all: Prometheus is already running (pid $(cat "$PIDS/prometheus.pid"))"
  exit 0
fi
if ! command -v prometheus >/dev/null; then
  echo "start_all: installing prometheus (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null
fi
mkdir -p "$LOGS/prometheus" "$ROOT/data/prometheus"
# The compose file's scrape config, pointed at this gateway and the rules in the checkout.
cat >"$LOGS/prometheus/prometheus.yml" <<YAML
global:
  scrape_interval: 15s
  evaluation_interval: 15s
rule_files:
  - $ROOT/docker/prometheus/alerts.yml
scrape_configs:
  - job_name: argus
    static_configs:
      - targets: ["127.0.0.1:$port"]
YAML
nohup prometheus --config.file="$LOGS/prometheus/prometheus.yml" --storage.tsdb.path="$ROOT/data/prometheus" \
  --web.listen-address=":$PROM_PORT" >"$LOGS/prometheus.log" 2>&1 &
ppid=$!
echo "$ppid" >"$PIDS/prometheus.pid"
echo "http://127.0.0.1:$PROM_PORT" >"$PIDS/prometheus.url"
for _ in $(seq 1 30); do
  if ! kill -0 "$ppid" 2>/dev/null; then
    rm -f "$PIDS/prometheus.pid" "$PIDS/prometheus.url"
    echo "start_all: Prometheus exited; last lines of $LOGS/prometheus.log:" >&2
    tail -n 20 "$LOGS/prometheus.log" >&2
    exit 1
  fi
  curl -sf -m 2 "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null && break
  sleep 1
done
echo "start_all: Prometheus pid $ppid"
echo "  prometheus http://localhost:$PROM_PORT/  (alerts: http://localhost:$PROM_PORT/alerts)"
echo "  logs       $LOGS/prometheus.log"
