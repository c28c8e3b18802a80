#!/usr/bin/env bash
# Shows each service scripts/start_all.sh manages: pid, running or not, readiness.
# Exit status 0 when every service with a pid file runs and is ready, else 1.
set -uo pipefail
cd "$(dirname "$0")/.."
PIDS=logs/pids

marker() { case "$1" in argus) echo argus-gateway.jar ;; *) echo "$1" ;; esac; }
owned() { kill -0 "$1" 2>/dev/null && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q -- "$(marker "$2")"; }

readiness() {
  local url; url=$(cat "$PIDS/$1.url" 2>/dev/null) || { echo "unknown (not ready yet)"; return 1; }
  case "$1" in
    argus)
      local body; body=$(curl -s -m 5 "$url/health/ready") || { echo "no answer from $url"; return 1; }
      local status; status=$(sed -n 's|^{"status":"\([A-Z]*\)".*|\1|p' <<<"$body")
      echo "${status:-unknown} ($url/health/ready)"
      [[ "$status" == UP || "$status" == DEGRADED ]] ;;
    prometheus)
      if curl -sf -m 5 "$url/-/ready" >/dev/null; then echo "ready ($url)"; else echo "not ready ($url)"; return 1; fi ;;
    *) echo "-" ;;
  esac
}

rc=0
printf '%-12s %-8s %-12s %s\n' SERVICE PID STATE READINESS
for name in argus prometheus; do
  f="$PIDS/$name.pid"
  if [[ ! -f "$f" ]]; then
    printf '%-12s %-8s %-12s %s\n' "$name" - "not started" -
    continue
  fi
  pid=$(cat "$f")
  if [[ "$pid" =~ ^[0-9]+$ ]] && owned "$pid" "$name"; then
    r=$(readiness "$name") || rc=1
    printf '%-12s %-8s %-12s %s\n' "$name" "$pid" running "$r"
  else
    printf '%-12s %-8s %-12s %s\n' "$name" "$pid" "not running" "(stale pid file)"
    rc=1
  fi
done
exit $rc
