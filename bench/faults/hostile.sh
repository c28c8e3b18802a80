#!/usr/bin/env bash
# Hostile input (issue 9 point 5) and provider chaos (point 4): runs HostileInputIT (jqwik-generated
# requests against a whole in-process gateway on embedded Kafka and the Redis store: ingest over HTTP and
# WebSocket, every read route and its parameters, malformed HTTP on raw sockets), HostileRegressionIT (one
# case per bug it found) and ProviderChaosIT (a provider that hangs, 5xx bursts, malformed replies,
# trickling bodies, connection resets), then prints their figures.
#
#   bench/faults/hostile.sh                        # all three
#   HOSTILE_TESTS=ProviderChaosIT bench/faults/hostile.sh
#   HOSTILE_SCALE=0.25 bench/faults/hostile.sh   # batches and sessions a quarter of the size (~27k requests)
#
# Needs Redis at 127.0.0.1:6379 (or ARGUS_REDIS_URL). Figures: the HOSTILE line (requests, duration, heap
# after GC before/after) and the CHAOS lines (tasks, deadline lateness and misses, breaker transitions).
set -euo pipefail
cd "$(dirname "$0")/../.."
TESTS=${HOSTILE_TESTS:-HostileInputIT,HostileRegressionIT,ProviderChaosIT}
mkdir -p bench/results
LOG=bench/results/hostile-$(date -u +%Y%m%dT%H%M%SZ).log
mvn -B -ntp -o -q test-compile
# failsafe runs on target/classes when no jar is there; a stale jar would test old code.
rm -f target/argus-gateway.jar target/original-argus-gateway.jar
start=$(date +%s)
set +e
mvn -B -ntp -o failsafe:integration-test failsafe:verify -Dit.test="$TESTS" -Dhostile.scale="${HOSTILE_SCALE:-1}" >"$LOG" 2>&1
rc=$?
set -e
echo "wall time: $(( $(date +%s) - start )) s, load average: $(cut -d' ' -f1-3 /proc/loadavg), log: $LOG"
grep -a -E '^(HOSTILE|CHAOS|  +[0-9.]+s )|Tests run:|tries = ' "$LOG" || true
exit $rc
