#!/usr/bin/env bash
# Where a write + answer pair's wall time goes, moment by moment: builds the deployment binary once with
# Benchmarks/timeline.patch applied (a probe that notes the time at a dozen points of a request when LINKSTAR_TRACE is
# set; made against commit 7c45f6d, a later change to the lines it touches needs it redone), takes the patch out again,
# then runs api.sh's one-connection pairs against it on a copy of the 1M-observation workspace and prints each moment's
# median (Benchmarks/timeline.py). NOREFRESH=1 also runs the pairs with the refresh after a write turned off (the answer
# is then computed for the request). Needs a clean checkout of the patched files.
# Usage: bash Benchmarks/timeline.sh   (DURATION=8s; TIMELINE_BIN=PATH reuses a binary built this way)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [ -z "${TIMELINE_BIN:-}" ]; then
  git apply Benchmarks/timeline.patch
  trap 'git apply -R Benchmarks/timeline.patch' EXIT
  BENCH_BIN= bash -c 'source Benchmarks/common.sh' >&2
  git apply -R Benchmarks/timeline.patch
  trap - EXIT
  mkdir -p .build-bench && cp .build-release/release/linkstar .build-bench/linkstar-timeline
  TIMELINE_BIN=$ROOT/.build-bench/linkstar-timeline
fi
export BENCH_BIN=$TIMELINE_BIN
source "$ROOT/Benchmarks/common.sh"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
PORT=${PORT:-18097}
api_workspace
COPY="$WORK/ws-timeline.sqlite"
for variant in refresh ${NOREFRESH:+norefresh}; do
  rm -f "$COPY" "$COPY-wal" "$COPY-shm" "$WORK/timeline.txt"; cp "$WS/linkstar.sqlite" "$COPY"
  extra=(); [ "$variant" = norefresh ] && extra=(LINKSTAR_NOREFRESH=1)
  env "${extra[@]}" LINKSTAR_TRACE="$WORK/timeline.txt" LINKSTAR_LOG_LEVEL=warning "$BIN" serve --port "$PORT" --db "$COPY" > "$WORK/timeline-serve.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
  wrk -t1 -c1 -d2s -s "$ROOT/Benchmarks/write-pairs.lua" "http://127.0.0.1:$PORT/" > /dev/null
  echo "== $variant: $(wrk -t1 -c1 -d"${DURATION:-8s}" -s "$ROOT/Benchmarks/write-pairs.lua" "http://127.0.0.1:$PORT/" | awk '/Requests\/sec/ {printf "%.0f pairs/s", $2 / 2}')"
  kill "$server"; wait "$server" 2>/dev/null || true
  python3 "$ROOT/Benchmarks/timeline.py" "$WORK/timeline.txt"
done
