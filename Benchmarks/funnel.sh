#!/usr/bin/env bash
# Funnel benchmark. Baseline: the sqlite3 CLI running the equivalent hand-written SQL
# (Benchmarks/funnel.sql: both windows in one range scan), whole process each.
# Window: 2028-09-01..2028-09-30 vs the 30 days before, channel amazon.
# Goals: no slower than sqlite3 at 1M observations; at 10M no more than 1.2x the 1M time.
source "$(dirname "$0")/common.sh"
QUERY="funnel --from 2028-09-01 --to 2028-09-30 --channel amazon --json"

workspace 1000000 "$WORK/ws-1m"
hyperfine -N --warmup 5 --runs "${RUNS:-50}" --export-json "$WORK/funnel-linkstar.json" \
  -n "linkstar funnel (1M)" "$BIN $QUERY --db $WORK/ws-1m/linkstar.sqlite"
hyperfine -N --warmup 5 --runs "${RUNS:-50}" --export-json "$WORK/funnel-sqlite3.json" \
  -n "sqlite3 funnel.sql (1M)" "sqlite3 -bail $WORK/ws-1m/linkstar.sqlite -init $ROOT/Benchmarks/funnel.sql .quit"
hyperfine -N --warmup 5 --runs "${RUNS:-50}" --export-json "$WORK/startup.json" -n "linkstar --version" "$BIN --version"
ours=$(mean_seconds "$WORK/funnel-linkstar.json")
theirs=$(mean_seconds "$WORK/funnel-sqlite3.json")
startup=$(mean_seconds "$WORK/startup.json")
python3 - "$ours" "$theirs" "$startup" <<'PY'
import sys
ours, theirs, startup = map(float, sys.argv[1:4])
print(f"funnel at 1M: linkstar {ours * 1000:.1f} ms, sqlite3 {theirs * 1000:.1f} ms → ratio {ours / theirs:.2f} (goal ≤ 1.0); "
      f"linkstar --version alone {startup * 1000:.1f} ms")
PY

if [ "${BIG:-1}" = 1 ]; then
  workspace 10000000 "$WORK/ws-10m"
  hyperfine -N --warmup 5 --runs "${RUNS:-50}" --export-json "$WORK/funnel-linkstar-10m.json" \
    -n "linkstar funnel (10M)" "$BIN $QUERY --db $WORK/ws-10m/linkstar.sqlite"
  big=$(mean_seconds "$WORK/funnel-linkstar-10m.json")
  python3 - "$ours" "$big" <<'PY'
import sys
small, big = map(float, sys.argv[1:3])
print(f"funnel at 10M: {big * 1000:.1f} ms = {big / small:.2f}x the 1M time (goal ≤ 1.2x)")
PY
fi
