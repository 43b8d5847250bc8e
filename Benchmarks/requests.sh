#!/usr/bin/env bash
# Instructions per API request (valgrind --tool=callgrind on `linkstar serve`, the server's whole process, HTTP
# included): N requests from one client on one keep-alive connection, minus a run with one request (start-up, the
# migration check, the connection), divided by N. Stable where wall time is noisy: what to watch for the uncached loads
# of Benchmarks/api.sh. Two loads on a copy of the 1M-observation API workspace:
#   fresh: GET /api/v1/funnel for N different 30-day windows, amazon only (every answer computed);
#   write: POST one observation (a new value each time), then GET the funnel it changed (N pairs);
#   import: POST one observation N times (the write alone);
#   cached: GET the same funnel N times (answered from the response cache), and health: GET /health N times, its floor.
# The server logs at warning level, as in api.sh.
# Usage: bash Benchmarks/requests.sh          (N=100 by default; PORT as in api.sh)
source "$(dirname "$0")/common.sh"
command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }
PORT=${PORT:-18093}
N=${N:-100}

api_workspace
export PORT

# valgrind cannot read the release build's DWARF 5 debug info: count on a copy without it (symbols stay).
STRIPPED="$WORK/linkstar-nodebug"
cp "$BIN" "$STRIPPED" && strip --strip-debug "$STRIPPED"
COPY="$WORK/ws-requests.sqlite"

# collected MODE COUNT: the instructions of a server that answered COUNT iterations of MODE, on a fresh copy.
collected() {
  rm -f "$COPY" "$COPY-wal" "$COPY-shm"
  cp "$WS/linkstar.sqlite" "$COPY"
  LINKSTAR_LOG_LEVEL=warning valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.serve-$1-$2" "$STRIPPED" serve --port "$PORT" --db "$COPY" \
    > /dev/null 2> "$WORK/callgrind.serve-$1-$2.log" &
  local server=$!
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
  MODE=$1 COUNT=$2 python3 - <<'PY'
import datetime, http.client, json, os
token, write_token, count = os.environ["TOKEN"], os.environ["WRITE_TOKEN"], int(os.environ["COUNT"])
connection = http.client.HTTPConnection("127.0.0.1", int(os.environ["PORT"]))
def call(method, path, body=None, token=token):
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        headers["Content-Type"] = "application/json"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    assert response.status < 300, (method, path, response.status)
for i in range(count):
    if os.environ["MODE"] == "write":
        body = json.dumps({"observations": [{"date": "2028-09-15", "channel": "amazon", "market": "US", "device": "mobile",
                                             "metric": "orders", "value": 1000000 + i}]})
        call("POST", "/api/v1/observations", body, write_token)
        call("GET", "/api/v1/funnel?from=2028-09-01&to=2028-09-30&channel=amazon")
    elif os.environ["MODE"] == "import":
        body = json.dumps({"observations": [{"date": "2028-09-15", "channel": "amazon", "market": "US", "device": "mobile",
                                             "metric": "orders", "value": 1000000 + i}]})
        call("POST", "/api/v1/observations", body, write_token)
    elif os.environ["MODE"] == "cached":
        call("GET", "/api/v1/funnel?from=2028-09-01&to=2028-09-30&channel=amazon")
    elif os.environ["MODE"] == "health":
        call("GET", "/health")
    else:
        first = datetime.date(2024, 3, 18) + datetime.timedelta(days=(i * 7919) % 1500)
        call("GET", f"/api/v1/funnel?from={first}&to={first + datetime.timedelta(days=29)}&channel=amazon")
PY
  kill -INT "$server"; wait "$server" 2>/dev/null || true
  grep -E '^(summary|totals):' "$WORK/callgrind.serve-$1-$2" | head -1 | awk '{print $2}'
}

for mode in ${MODES:-fresh write cached health}; do
  one=$(collected "$mode" 1)
  many=$(collected "$mode" $((N + 1)))
    case $mode in write) what="write + funnel pair";; import) what="one-observation import";; cached) what="cached funnel answer";; health) what="/health answer";;
                *) what="funnel answer";; esac
  echo "$mode: $(( (many - one) / N )) instructions per $what ($N, one keep-alive connection)"
done
echo "per-function detail: compare callgrind_annotate of $WORK/callgrind.serve-MODE-1 and $WORK/callgrind.serve-MODE-$((N + 1))" >&2
