#!/usr/bin/env bash
# API benchmark: wrk against `linkstar serve` on loopback, on the 1M-observation workspace.
# Baseline: GET /health on the same server. Goals (issue 16): the cached /api/v1/funnel sustains at least half of
# /health's throughput; an uncached one at least 1,000 req/s; zero errors. Uncached is measured two ways:
#   - fresh windows: every request asks for a 30-day window no earlier request asked for (1,500 of them), so each
#     answer is computed (what the query costs, the framework around it included);
#   - after a write: one connection alternates a one-observation import (POST /api/v1/observations, a new value each
#     time, so every write changes the workspace) and the funnel, so every funnel answer follows a write
#     (Benchmarks/write-pairs.lua, which pairs.sh runs too).
# The last load is bound by round trips, not by throughput: its baseline is GET /health on one connection, run just
# before it, which shows how fast this machine's loopback and thread wake-ups are at the time (a shared virtual machine
# has slow phases, when both fall together); a pair's cost is printed in those round trips too. Then the same with the
# server and wrk on one CPU (taskset; the server is given both CPUs back after it): how much of a round trip is spent
# waking the other CPU.
source "$(dirname "$0")/common.sh"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
PORT=${PORT:-18088}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}

api_workspace

cat > "$WORK/api-fresh.lua" <<'LUA'
-- A 30-day window no earlier request of this thread asked for (1,500 of them, 2024-03-18 on), amazon only.
counter = 0
request = function()
  counter = counter + 1
  local first = 19800 + (counter * 7919) % 1500
  local path = string.format("/api/v1/funnel?from=%s&to=%s&channel=amazon", os.date("!%Y-%m-%d", first * 86400),
                             os.date("!%Y-%m-%d", (first + 29) * 86400))
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. os.getenv("TOKEN")})
end
LUA

# The server works on a copy: the writes of the last load would otherwise pile up in the workspace run after run
# (thousands of import batches and audit entries each time), and no two runs would measure the same workspace.
RUN_COPY="$WORK/ws-api-run.sqlite"
rm -f "$RUN_COPY" "$RUN_COPY-wal" "$RUN_COPY-shm"
cp "$WS/linkstar.sqlite" "$RUN_COPY"
LINKSTAR_LOG_LEVEL=warning "$BIN" serve --port "$PORT" --db "$RUN_COPY" > "$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done

run() {  # run NAME URL [HEADER | -s SCRIPT]
  echo "== $1" >&2
  if [ "${3:-}" = "-s" ]; then
    ${ON_CPU0:+taskset -c 0} wrk -t"${THREADS:-2}" -c"${CONN:-$CONNECTIONS}" -d"$DURATION" --latency -s "$4" "$2" > "$WORK/wrk-$1.txt"
  elif [ -n "${3:-}" ]; then
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$3" "$2" > "$WORK/wrk-$1.txt"
  else
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$2" > "$WORK/wrk-$1.txt"
  fi
  cat "$WORK/wrk-$1.txt" >&2
}
run health "http://127.0.0.1:$PORT/health"
run funnel "http://127.0.0.1:$PORT/api/v1/funnel?from=2028-09-01&to=2028-09-30&channel=amazon" "Authorization: Bearer $TOKEN"
run fresh "http://127.0.0.1:$PORT/" -s "$WORK/api-fresh.lua"
THREADS=1 CONN=1 run health1 "http://127.0.0.1:$PORT/health" -s /dev/null
# The same with the server and wrk on one CPU: no wake-up crosses to the other CPU (a halted vCPU of a virtual machine
# takes tens of µs to wake). The difference is what crossing costs on this machine now.
taskset -a -p -c 0 "$SERVER" > /dev/null
ON_CPU0=1 THREADS=1 CONN=1 run health1cpu0 "http://127.0.0.1:$PORT/health" -s /dev/null
taskset -a -p -c "0-$(( $(nproc) - 1 ))" "$SERVER" > /dev/null
THREADS=1 CONN=1 run write "http://127.0.0.1:$PORT/" -s "$ROOT/Benchmarks/write-pairs.lua"

python3 - "$WORK/wrk-health.txt" "$WORK/wrk-funnel.txt" "$WORK/wrk-fresh.txt" "$WORK/wrk-write.txt" "$WORK/wrk-health1.txt" "$WORK/wrk-health1cpu0.txt" <<'PY'
import re, sys
def read(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    pct = dict(re.findall(r"\s+(50|75|90|99)%\s+([\d.]+\w+)", text))
    errors = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", text))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors += sum(int(x) for x in socket.groups()) if socket else 0
    return rps, pct, errors
h, f, n, w, h1, h0 = (read(path) for path in sys.argv[1:7])
for name, (rps, pct, errors) in (("/health", h), ("/api/v1/funnel cached", f), ("/api/v1/funnel, fresh windows", n),
                                 ("/health, 1 connection", h1), ("/health, 1 connection, server and wrk on one CPU", h0), ("import + funnel pairs, 1 connection", w)):
    print(f"{name}: {rps:.0f} req/s, p50 {pct.get('50')}, p90 {pct.get('90')}, p99 {pct.get('99')}, errors {errors}")
print(f"cached funnel throughput = {f[0] / h[0]:.2f} of /health (goal ≥ 0.5)")
print(f"uncached funnel, fresh windows: {n[0]:.0f} req/s (goal ≥ 1,000)")
print(f"uncached funnel after a write: {w[0] / 2:.0f} funnel answers/s, each after a one-observation import (goal ≥ 1,000)")
print(f"  a pair takes {2e6 / w[0]:.0f} µs = {h1[0] / (w[0] / 2):.2f} one-connection /health round trips of {1e6 / h1[0]:.0f} µs (this machine now)")
print(f"  a one-connection round trip: {1e6 / h1[0]:.0f} µs, {1e6 / h0[0]:.0f} µs on one CPU: crossing between CPUs costs this machine "
      f"about {(1e6 / h1[0] - 1e6 / h0[0]) / 2:.0f} µs, twice a request")
PY
