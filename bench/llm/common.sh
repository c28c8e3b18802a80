# Sourced by bench/llm/run.sh and bench/llm/dispatch.sh: paths, the temp dir and its cleanup (the bench JVM
# stopped, TERM then KILL), and a private, verified copy of the fat jar in $COPY. Set NAME (for messages)
# and TMP_PREFIX before sourcing; BENCH_JAR names another jar.
HERE="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RESULTS="$ROOT/bench/results"
TS="$(date -u +%Y%m%dT%H%M%SZ)"
JAR="${BENCH_JAR:-$ROOT/target/argus-gateway.jar}"
# The revision a report names: HEAD (and whether src/ differs from it); a jar given by BENCH_JAR was built from
# some other commit, which BENCH_COMMIT names (else the report says it is unnamed).
COMMIT="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD -- src 2>/dev/null || echo '+uncommitted src changes')"
if [[ -n "${BENCH_JAR:-}" ]]; then COMMIT="${BENCH_COMMIT:-jar $BENCH_JAR, built from an unnamed commit (worktree at $COMMIT)}"; fi

TMP="$(mktemp -d "/tmp/$TMP_PREFIX.XXXXXX")"
BENCH_PID=""
cleanup() {
  local rc=$?
  if [[ -n "$BENCH_PID" ]] && kill -0 "$BENCH_PID" 2>/dev/null; then
    kill -TERM "$BENCH_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$BENCH_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$BENCH_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ ! -f "$JAR" ]]; then
  echo "$NAME: $JAR is missing; building it (mvn -B -q -o -DskipTests -DskipITs package)" >&2
  (cd "$ROOT" && timeout 600 mvn -B -q -o -DskipTests -DskipITs package)
fi
# A private copy: a rebuild of target/ by someone else must not change or truncate the jar under us.
COPY="$TMP/argus-gateway.jar"
for attempt in $(seq 1 10); do
  cp "$JAR" "$COPY" && unzip -tqq "$COPY" >/dev/null 2>&1 && break
  echo "$NAME: the jar copy is incomplete (a rebuild in progress?); retrying ($attempt/10)" >&2
  sleep 3
  [[ "$attempt" == 10 ]] && { echo "$NAME: no usable copy of $JAR" >&2; exit 1; }
done

# The median of the runs for one figure: $TMP/rows holds one line of name=value pairs per run; the middle value
# of the sorted runs (the lower middle for an even count), "n/a" when no run gave it.
median() {
  grep -o "$1=[^ ]*" "$TMP/rows" | cut -d= -f2 | sort -g | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]; else print "n/a"}'
}

# The head of a report's "Runs" section: the load before each run ($TMP/loads), after them all, and the rows.
runs_section_head() {
  echo "## Runs"
  echo
  cat "$TMP/loads"
  echo "- machine load after: $(uptime)"
  echo
  echo '```'
  cat "$TMP/rows" 2>/dev/null
}
