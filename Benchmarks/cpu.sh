#!/usr/bin/env bash
# Where a one-connection request's wall time goes: for each load on one keep-alive connection (as api.sh's last load),
# the rate, the wall time per request, and the server's CPU per request, user and kernel (from /proc/PID/stat around
# the load). Loads: GET /health (the floor), the cached funnel, one-observation imports alone, and import + funnel
# pairs (Benchmarks/write-pairs.lua). CPU beyond the wall time is work on the second core (the refresh a write starts,
# the background checkpoint). On a fresh copy of the 1M-observation API workspace and a fresh server.
# Usage: bash Benchmarks/cpu.sh   (DURATION=5s; PORT as below; BENCH_BIN=PATH measures that binary)
source "$(dirname "$0")/common.sh"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
PORT=${PORT:-18096}
api_workspace
COPY="$WORK/ws-cpu.sqlite"
rm -f "$COPY" "$COPY-wal" "$COPY-shm"; cp "$WS/linkstar.sqlite" "$COPY"
cat > "$WORK/cpu-cached.lua" <<'LUA'
request = function()
  return wrk.format("GET", "/api/v1/funnel?from=2028-09-01&to=2028-09-30&channel=amazon", {["Authorization"] = "Bearer " .. os.getenv("TOKEN")})
end
LUA
cat > "$WORK/cpu-imports.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"observations":[{"date":"2028-09-15","channel":"amazon","market":"US","device":"mobile","metric":"orders","value":%d}]}', 1000000 + counter)
  return wrk.format("POST", "/api/v1/observations", {["Authorization"] = "Bearer " .. os.getenv("WRITE_TOKEN"), ["Content-Type"] = "application/json"}, body)
end
LUA
LINKSTAR_LOG_LEVEL=warning "$BIN" serve --port "$PORT" --db "$COPY" > "$WORK/cpu-serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
wrk -t1 -c1 -d2s -s "$ROOT/Benchmarks/write-pairs.lua" "http://127.0.0.1:$PORT/" > /dev/null   # warm-up
ticks=$(getconf CLK_TCK)
for load in health cached imports pairs; do
  case $load in
    health) script=/dev/null;; cached) script="$WORK/cpu-cached.lua";; imports) script="$WORK/cpu-imports.lua";;
    pairs) script="$ROOT/Benchmarks/write-pairs.lua";;
  esac
  before=$(awk '{print $14, $15}' "/proc/$SERVER/stat")
  out=$(wrk -t1 -c1 -d"${DURATION:-5s}" -s "$script" "http://127.0.0.1:$PORT/$([ $load = health ] && echo health)")
  after=$(awk '{print $14, $15}' "/proc/$SERVER/stat")
  python3 - "$load" "$ticks" $before $after <<PY
import re, sys
load, ticks, u0, s0, u1, s1 = sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:7])
out = """$out"""
n = int(re.search(r"(\d+) requests in", out).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
errors = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
user, kernel = ((b - a) / ticks * 1e6 / n for a, b in ((u0, u1), (s0, s1)))
print(f"{load:8s} {rps:7.0f} req/s  wall {1e6 / rps:5.0f} µs/request  server CPU: user {user:4.0f} µs, kernel {kernel:4.0f} µs"
      f"{'' if errors == 0 else f'  errors {errors}'}")
PY
done
