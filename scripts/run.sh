#!/usr/bin/env bash
# Builds the fat jar and starts the gateway in its embedded default (Kafka in-process). Arguments are
# passed to the gateway: scripts/run.sh --demo starts the camera simulator and simulated LLM provider.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -DskipTests package
exec java -jar target/argus-gateway.jar "$@"
