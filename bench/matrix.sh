#!/usr/bin/env bash
# Runs bench/run.sh for several producer settings, round-robin (one run of each setting per round, so
# drift on a shared machine touches every setting alike), BENCH_MATRIX_ROUNDS rounds (default 3), against one
# copy of the gateway jar. Each run writes its own dated report; `bench/table.py --readme README.md`
# then gives the median per setting. Settings: label=ENV=VALUE[;ENV=VALUE...] words in BENCH_MATRIX, e.g.
#   BENCH_MATRIX="default linger0=BENCH_LINGER_MS=0 none=BENCH_PRODUCER_PROPS=compression.type=none"
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
ROUNDS="${BENCH_MATRIX_ROUNDS:-3}"
MATRIX="${BENCH_MATRIX:-default linger0=BENCH_LINGER_MS=0 linger20=BENCH_LINGER_MS=20 compression-none=BENCH_PRODUCER_PROPS=compression.type=none batch16k=BENCH_PRODUCER_PROPS=batch.size=16384}"
JAR_COPY="$(mktemp -d /tmp/argus-matrix.XXXXXX)"
trap 'rm -rf "$JAR_COPY"' EXIT
cp "${BENCH_JAR:-$ROOT/target/argus-gateway.jar}" "$JAR_COPY/argus-gateway.jar"   # a rebuild during the runs does not touch it
for round in $(seq 1 "$ROUNDS"); do
  for setting in $MATRIX; do
    label="${setting%%=*}"
    env_args=()
    if [[ "$setting" == *=* ]]; then IFS=';' read -r -a env_args <<<"${setting#*=}"; fi
    echo "[matrix] round $round/$ROUNDS: $label ${env_args[*]:-}" >&2
    env "${env_args[@]}" BENCH_LABEL="$label" BENCH_JAR="$JAR_COPY/argus-gateway.jar" "$HERE/run.sh" \
      || echo "[matrix] $label round $round failed (exit $?)" >&2
  done
done
