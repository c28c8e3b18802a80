#!/usr/bin/env bash
# Smoke test for operators, right after a deployment: posts synthetic frames with hazards and waits for
# their assessments on /eventbus; prints accepted, assessed, source (llm/rules) and end-to-end P50/P95;
# exits non-zero when any assessment is missing.
#   scripts/pipeline_test.sh [--url http://HOST:8080] [--cameras N] [--frames M] [--timeout SECONDS]
# Without --url it tests the gateway scripts/start_all.sh started (else http://127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/argus-gateway.jar ] || mvn -B -ntp -q -DskipTests package
args=("$@")
if [[ " $* " != *" --url "* ]]; then
  url=$(cat logs/pids/argus.url 2>/dev/null || echo "http://127.0.0.1:${ARGUS_HTTP_PORT:-8080}")
  args=(--url "$url" "${args[@]}")
fi
exec java -jar target/argus-gateway.jar pipeline-test "${args[@]}"
