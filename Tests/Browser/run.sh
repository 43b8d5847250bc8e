#!/usr/bin/env bash
# The web pages in a real browser: a fresh demo workspace, `linkstar serve`, then Tests/Browser/browser_test.py
# (headless Chromium through chromedriver, driven by selenium). Screenshots land in $LINKSTAR_ARTIFACTS
# (default .build/artifacts/browser; not committed). Needs chromium, chromium-driver, fonts-noto-cjk and selenium
# (.ci/run installs them) and a built binary (.build/debug/linkstar, or LINKSTAR_BIN).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${LINKSTAR_BIN:-.build/debug/linkstar}
port=${LINKSTAR_BROWSER_PORT:-18091}
artifacts=${LINKSTAR_ARTIFACTS:-.build/artifacts/browser}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" demo --dir "$work/demo" >/dev/null
db="$work/demo/linkstar.sqlite"
# chen.jie owns the conversion layer, whose weekly review (#2) the demo leaves open.
token=$("$bin" token create --person chen.jie --role editor --label browser-test --db "$db" --as lin.wei --json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
review=$("$bin" review list --db "$db" --json | python3 -c 'import json, sys; print([r["id"] for r in json.load(sys.stdin) if r["status"] == "open"][0])')
action=$("$bin" action list --db "$db" --json | python3 -c 'import json, sys; print([a["id"] for a in json.load(sys.stdin) if a.get("verdict")][0])')
"$bin" serve --port "$port" --db "$db" >"$work/serve.log" 2>&1 &
server=$!
health() { python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/health', timeout=2)" 2>/dev/null; }
for _ in $(seq 100); do health && break; sleep 0.2; done

status=0
python3 Tests/Browser/browser_test.py "http://127.0.0.1:$port" "$token" "$review" "$action" "$artifacts" || status=$?
if ! kill -0 "$server" 2>/dev/null; then
  echo "browser: the server died during the run" >&2
  tail -20 "$work/serve.log" >&2
  status=1
fi
exit $status
