#!/usr/bin/env bash
# Write + answer pairs on one connection (as api.sh's last load) for two builds, alternately, each on a fresh copy of
# the 1M-observation API workspace and a fresh server: what a change does to the latency-bound load, with the machine's
# drift spread over both sides. Prints each run's rate (requests/s; a pair is two requests) and p50/p90/p99.
# Usage: bash Benchmarks/pairs.sh OLD_BINARY [NEW_BINARY]   (NEW defaults to this checkout's release build;
#        ROUNDS=3, DURATION=6s; OLD_ENV / NEW_ENV: environment for each side's server, e.g. "LINKSTAR_LOG_LEVEL=info")
source "$(dirname "$0")/common.sh"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
OLD=${1:?usage: bash Benchmarks/pairs.sh OLD_BINARY [NEW_BINARY]}
NEW=${2:-$BIN}
PORT=${PORT:-18095}
api_workspace
COPY="$WORK/ws-pairs.sqlite"
side() {  # side NAME BINARY ENV
  rm -f "$COPY" "$COPY-wal" "$COPY-shm"; cp "$WS/linkstar.sqlite" "$COPY"
  env LINKSTAR_LOG_LEVEL=warning $3 "$2" serve --port "$PORT" --db "$COPY" > "$WORK/pairs-serve.log" 2>&1 &
  local server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
  wrk -t1 -c1 -d2s -s "$ROOT/Benchmarks/write-pairs.lua" "http://127.0.0.1:$PORT/" > /dev/null
  printf '%-4s ' "$1"
  wrk -t1 -c1 -d"${DURATION:-6s}" --latency -s "$ROOT/Benchmarks/write-pairs.lua" "http://127.0.0.1:$PORT/" \
    | awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2} /Non-2xx/ {err=$NF}
           END {printf "%8.0f req/s (%4.0f pairs/s)  p50 %s  p90 %s  p99 %s  non-2xx %s\n", rps, rps / 2, p50, p90, p99, err + 0}'
  kill "$server"; wait "$server" 2>/dev/null || true
}
for round in $(seq "${ROUNDS:-3}"); do
  side old "$OLD" "${OLD_ENV:-}"
  side new "$NEW" "${NEW_ENV:-}"
done
