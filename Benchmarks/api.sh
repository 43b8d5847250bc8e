#!/usr/bin/env bash
# API benchmark: wrk against `linkstar serve` on loopback, on the 1M-observation workspace.
# Baseline: GET /health on the same server. Goal (issue 16): the cached /api/v1/funnel sustains at least half of
# /health's throughput, with zero errors.
source "$(dirname "$0")/common.sh"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
PORT=${PORT:-18088}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}

generate 1000000 "$WORK/long-1000000.csv"
WS="$WORK/ws-api"
if [ ! -s "$WS/linkstar.sqlite" ]; then
  rm -rf "$WS" && "$BIN" init --dir "$WS" >/dev/null
  "$BIN" import "$WORK/long-1000000.csv" --db "$WS/linkstar.sqlite" >/dev/null
  "$BIN" person add bench.bot --name "Benchmark" --role viewer --db "$WS/linkstar.sqlite" >/dev/null
fi
TOKEN=$("$BIN" token create --person bench.bot --role viewer --label benchmark --db "$WS/linkstar.sqlite" 2>/dev/null)

LINKSTAR_LOG_LEVEL=warning "$BIN" serve --port "$PORT" --db "$WS/linkstar.sqlite" > "$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done

run() {  # run NAME URL [HEADER]
  echo "== $1" >&2
  if [ -n "${3:-}" ]; then
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$3" "$2" > "$WORK/wrk-$1.txt"
  else
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$2" > "$WORK/wrk-$1.txt"
  fi
  cat "$WORK/wrk-$1.txt" >&2
}
run health "http://127.0.0.1:$PORT/health"
run funnel "http://127.0.0.1:$PORT/api/v1/funnel?from=2028-09-01&to=2028-09-30&channel=amazon" "Authorization: Bearer $TOKEN"

python3 - "$WORK/wrk-health.txt" "$WORK/wrk-funnel.txt" <<'PY'
import re, sys
def read(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    pct = dict(re.findall(r"\s+(50|75|90|99)%\s+([\d.]+\w+)", text))
    errors = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", text))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors += sum(int(x) for x in socket.groups()) if socket else 0
    return rps, pct, errors
h, f = read(sys.argv[1]), read(sys.argv[2])
for name, (rps, pct, errors) in (("/health", h), ("/api/v1/funnel", f)):
    print(f"{name}: {rps:.0f} req/s, p50 {pct.get('50')}, p90 {pct.get('90')}, p99 {pct.get('99')}, errors {errors}")
print(f"funnel throughput = {f[0] / h[0]:.2f} of /health (goal ≥ 0.5)")
PY
