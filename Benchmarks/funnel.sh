#!/usr/bin/env bash
# Funnel benchmark, whole process each. Baseline: the sqlite3 CLI running the equivalent hand-written like-for-like
# SQL (Benchmarks/funnel.sql: both windows in one range scan) on the same database.
#   long: 80 segments a day (generate_long.py); 2028-09-01..2028-09-30 vs the 30 days before, channel amazon.
#   wide: 800 segments a day (generate_wide.py); 2024-04-01..2024-04-30 vs the 30 days before, every channel.
# Goals: no slower than sqlite3 at 1M and 10M observations in both shapes; 10M no more than 1.1x the 1M time.
# BIG=0 skips the 10M workspaces (their first import takes minutes).
source "$(dirname "$0")/common.sh"

# run SHAPE ROWS QUERY SQL: prints "linkstar_seconds sqlite3_seconds".
run() {
  local name="$1-$2"
  hyperfine -N --warmup 3 --runs "${RUNS:-30}" --export-json "$WORK/funnel-linkstar-$name.json" \
    -n "linkstar funnel ($name)" "$BIN $3 --db $WORK/ws-$name/linkstar.sqlite" >&2
  hyperfine -N --warmup 3 --runs "${RUNS:-30}" --export-json "$WORK/funnel-sqlite3-$name.json" \
    -n "sqlite3 funnel.sql ($name)" "sqlite3 -bail $WORK/ws-$name/linkstar.sqlite -init $4 .quit" >&2
  echo "$(mean_seconds "$WORK/funnel-linkstar-$name.json") $(mean_seconds "$WORK/funnel-sqlite3-$name.json")"
}

results=()
sizes=(1000000)
[ "${BIG:-1}" = 1 ] && sizes+=(10000000)
for shape in long wide; do
  if [ "$shape" = long ]; then
    query="funnel --from 2028-09-01 --to 2028-09-30 --channel amazon --json"; sql=$(funnel_sql 2028-09-01 2028-09-30 amazon)
  else
    query="funnel --from 2024-04-01 --to 2024-04-30 --json"; sql=$(funnel_sql 2024-04-01 2024-04-30)
  fi
  for rows in "${sizes[@]}"; do
    name="$shape-$rows"
    workspace "$rows" "$WORK/ws-$name" "$shape"
    results+=("$shape $rows $(run "$shape" "$rows" "$query" "$sql")")
  done
done

python3 - "${results[@]}" <<'PY'
import sys
rows = [line.split() for line in sys.argv[1:]]
small = {}
for shape, size, ours, theirs in rows:
    ours, theirs = float(ours), float(theirs)
    line = f"funnel {shape:4} {int(size) // 1_000_000:>2}M: linkstar {ours * 1000:6.1f} ms, sqlite3 {theirs * 1000:6.1f} ms → {ours / theirs:.2f}× (goal ≤ 1.0)"
    if size == "1000000":
        small[shape] = ours
    elif shape in small:
        line += f"; {ours / small[shape]:.2f}× its 1M time (goal ≤ 1.1)"
    print(line)
PY
