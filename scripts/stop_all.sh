#!/usr/bin/env bash
# Stops everything scripts/start_all.sh started: SIGTERM to every pid in logs/pids/, up to
# ARGUS_STOP_TIMEOUT seconds (default 60) for a graceful stop (the gateway drains and commits), then
# SIGKILL for what is left (and says so). Removes the pid files; exits 0.
set -uo pipefail
cd "$(dirname "$0")/.."
PIDS=logs/pids
TIMEOUT=${ARGUS_STOP_TIMEOUT:-60}

# A pid file only counts when its process still runs the service it names (pids get reused).
marker() { case "$1" in argus) echo argus-gateway.jar ;; *) echo "$1" ;; esac; }
owned() { kill -0 "$1" 2>/dev/null && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q -- "$(marker "$2")"; }

declare -A live=()
shopt -s nullglob
for f in "$PIDS"/*.pid; do
  name=$(basename "$f" .pid)
  pid=$(cat "$f")
  if [[ "$pid" =~ ^[0-9]+$ ]] && owned "$pid" "$name"; then
    echo "stop_all: stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null
    live[$name]=$pid
  else
    echo "stop_all: $name was not running"
  fi
done

deadline=$((SECONDS + TIMEOUT))
while ((${#live[@]} > 0 && SECONDS < deadline)); do
  for name in "${!live[@]}"; do
    if ! kill -0 "${live[$name]}" 2>/dev/null; then
      echo "stop_all: $name stopped"
      unset "live[$name]"
    fi
  done
  ((${#live[@]} > 0)) && sleep 0.5
done
for name in "${!live[@]}"; do
  echo "stop_all: $name (pid ${live[$name]}) did not stop within $TIMEOUT s: killed (SIGKILL)"
  kill -KILL "${live[$name]}" 2>/dev/null
done
rm -f "$PIDS"/*.pid "$PIDS"/*.url
exit 0
