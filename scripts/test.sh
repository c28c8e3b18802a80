#!/usr/bin/env bash
# Runs every test (unit, integration against the embedded Kafka broker and a real Redis) on a fresh
# machine: starts the Redis the tests need when none answers, runs the page's node:test tests, then
# `mvn verify`.
set -euo pipefail
cd "$(dirname "$0")/.."

REDIS_URL="${ARGUS_REDIS_URL:-redis://127.0.0.1:6379}"
if [[ "$REDIS_URL" == redis://127.0.0.1:* || "$REDIS_URL" == redis://localhost:* ]]; then
  port="${REDIS_URL##*:}"; port="${port%%/*}"
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    if ! command -v redis-server >/dev/null; then
      echo "test.sh: installing redis-server (Debian package)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    fi
    echo "test.sh: starting redis-server on 127.0.0.1:$port"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
      --logfile /tmp/argus-test-redis.log
    for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  fi
fi

# The dashboard's browser tests (DashboardBrowserIT) drive Debian's chromium through its chromedriver.
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  echo "test.sh: installing chromium and chromium-driver (Debian packages)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Prometheus (ops): promtool checks the alert rules and runs their unit tests (docker/prometheus/*test*.yml)
# before Maven; MonitoringIT starts the prometheus binary itself. Both come from Debian's `prometheus`.
if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null; then
  echo "test.sh: installing prometheus (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null
fi
promtool check rules docker/prometheus/alerts.yml
for rules_test in docker/prometheus/*test*.yml; do promtool test rules "$rules_test"; done

# The page's pure helpers (webroot/js), by Node's own test runner: no npm packages needed.
echo "test.sh: node --test webroot/test/"
node --test webroot/test/

exec mvn -B -ntp verify "$@"
