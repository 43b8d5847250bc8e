#!/usr/bin/env bash
# Web overview benchmark: wrk against `linkstar serve` (release, static) on the 1M and 10M observation workspaces,
# each freshly imported and served by a fresh process (nothing cached), with 16 KPIs on the overview, each with
# its 90-day series. Baseline: GET /health on the same server, same wrk settings.
# Goals: overview p95 ≤ 50 ms at 1M and ≤ 100 ms at 10M, 0 errors.
# Usage: bash Benchmarks/web.sh          (BIG=0 skips 10M; DURATION, CONNECTIONS, PORT as in api.sh)
source "$(dirname "$0")/common.sh"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }
PORT=${PORT:-18092}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}

# wrk prints p50/75/90/99; the goal is p95, so a report script prints it (and the counts) in one line.
cat > "$WORK/p95.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
LUA

# A fresh workspace: init, import, a team and 16 KPIs over the generated metrics (channels, markets, devices).
fresh_workspace() {  # fresh_workspace ROWS DIR
  generate "$1" "$WORK/long-$1.csv"
  rm -rf "$2" && "$BIN" init --dir "$2" >/dev/null
  local db="$2/linkstar.sqlite"
  /usr/bin/time -f "import: %e s, %M KiB peak" "$BIN" import "$WORK/long-$1.csv" --db "$db" >/dev/null
  # The first person of a workspace is added by whoever runs it, then acts for the rest.
  "$BIN" person add bench.owner --name "Benchmark owner" --role admin --db "$db" >/dev/null
  for spec in "sessions 18000" "ctr 2%" "conversion_rate 3%" "visit_to_cart_rate 10%" "checkout_to_order_rate 70%" "orders 900" \
              "cart_to_checkout_rate 40%" "clicks 50000"; do
    set -- $spec
    "$BIN" kpi set --metric "$1" --target "$2" --owner bench.owner --db "$db" --as bench.owner >/dev/null
    "$BIN" kpi set --metric "$1" --target "$2" --segment "amazon/US/*" --owner bench.owner --db "$db" --as bench.owner >/dev/null
  done
}

measure() {  # measure LABEL ROWS
  local dir="$WORK/ws-web-$1" db
  fresh_workspace "$2" "$dir"
  db="$dir/linkstar.sqlite"
  local token cookie server
  token=$("$BIN" token create --person bench.owner --role viewer --label benchmark --db "$db" --as bench.owner --json |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
  LINKSTAR_LOG_LEVEL=warning "$BIN" serve --port "$PORT" --db "$db" > "$WORK/serve-web.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
  cookie=$(curl -s -o /dev/null -D - -X POST --data-urlencode "token=$token" "http://127.0.0.1:$PORT/sign-in" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(linkstar_session=[^;]*\).*/\1/p')
  [ -n "$cookie" ] || { echo "sign-in failed" >&2; kill "$server"; exit 1; }
  # The first answer after the import, timed alone: nothing is warm.
  curl -s -o /dev/null -w "overview ($1), first request: %{time_total} s, %{size_download} bytes, HTTP %{http_code}\n" \
    -H "Cookie: $cookie" "http://127.0.0.1:$PORT/"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/p95.lua" "http://127.0.0.1:$PORT/health" > "$WORK/wrk-web-health-$1.txt"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/p95.lua" -H "Cookie: $cookie" "http://127.0.0.1:$PORT/" > "$WORK/wrk-web-$1.txt"
  kill "$server"; wait "$server" 2>/dev/null || true
  python3 - "$1" "$WORK/wrk-web-health-$1.txt" "$WORK/wrk-web-$1.txt" <<'PY'
import re, sys
label, health, page = sys.argv[1], open(sys.argv[2]).read(), open(sys.argv[3]).read()
def result(text):
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", text.split("RESULT", 1)[1].splitlines()[0])}
h, p = result(health), result(page)
goal = 50 if label == "1m" else 100
print(f"/health ({label}): {h['rps']:.0f} req/s, p95 {h['p95_ms']:.2f} ms, errors {h['errors']:.0f}")
print(f"overview ({label}): {p['rps']:.0f} req/s, p50 {p['p50_ms']:.1f} ms, p95 {p['p95_ms']:.1f} ms, p99 {p['p99_ms']:.1f} ms, "
      f"errors {p['errors']:.0f} → p95 {'meets' if p['p95_ms'] <= goal and p['errors'] == 0 and p['requests'] > 0 else 'MISSES'} the goal (≤ {goal} ms, 0 errors); "
      f"throughput {p['rps'] / h['rps']:.3f} of /health")
PY
}

measure 1m 1000000
if [ "${BIG:-1}" = 1 ]; then measure 10m 10000000; fi
