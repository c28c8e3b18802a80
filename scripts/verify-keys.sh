#!/usr/bin/env bash
# Tries each configured LLM key once (ARGUS_LLM_API_KEYS or ARGUS_LLM_KEYS_FILE, or -conf file.json) and
# prints a table; exits non-zero when fewer than llm.verifyMinUsable keys work.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/argus-gateway.jar ] || mvn -B -ntp -q -DskipTests package
exec java -jar target/argus-gateway.jar "$@" verify-keys
