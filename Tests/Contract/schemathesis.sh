#!/usr/bin/env bash
# The API contract check: schemathesis (all checks) against `linkstar serve` on a fresh demo workspace.
# Fails on any finding. Usage: bash Tests/Contract/schemathesis.sh [MAX_EXAMPLES]   (default 25 per operation)
# Needs `pip install schemathesis` and a built binary (.build/debug/linkstar, or LINKSTAR_BIN).
set -euo pipefail
cd "$(dirname "$0")/../.."
examples=${1:-25}
bin=${LINKSTAR_BIN:-.build/debug/linkstar}
port=${LINKSTAR_CONTRACT_PORT:-18089}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" demo --dir "$work/demo" >/dev/null
db="$work/demo/linkstar.sqlite"
token=$("$bin" token create --person lin.wei --role admin --label contract --db "$db" --as lin.wei --json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
"$bin" serve --port "$port" --db "$db" >"$work/serve.log" 2>&1 &
server=$!
health() { python3 -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$port/health', timeout=2)" 2>/dev/null; }
for _ in $(seq 100); do health && break; sleep 0.2; done

status=0
schemathesis --config-file Tests/Contract/schemathesis.toml run "http://127.0.0.1:$port/openapi.yaml" --url "http://127.0.0.1:$port" \
  -H "Authorization: Bearer $token" --checks all --max-examples "$examples" --seed "${SCHEMATHESIS_SEED:-20261127}" \
  --report junit --report-dir "$work/report" || status=$?
if ! kill -0 "$server" 2>/dev/null; then
  echo "contract: the server died during the run" >&2
  tail -20 "$work/serve.log" >&2
  status=1
fi
health || { echo "contract: /health does not answer after the run" >&2; status=1; }
exit $status
