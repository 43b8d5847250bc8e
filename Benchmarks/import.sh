#!/usr/bin/env bash
# Import benchmark. Baseline: sqlite3's own `.import` of the same CSV into an equivalent table
# with a unique key (date, channel, market, device, metric), in one transaction.
# Goal (issue 16): LinkStar at least 3x faster on 1M rows; peak memory at most 100 MB on 10M rows (BIG=1).
source "$(dirname "$0")/common.sh"
ROWS=${ROWS:-1000000}
CSV="$WORK/long-$ROWS.csv"
generate "$ROWS" "$CSV"

cat > "$WORK/sqlite-import.sql" <<SQL
CREATE TABLE obs(date TEXT NOT NULL, channel TEXT NOT NULL, market TEXT NOT NULL, device TEXT NOT NULL,
                 metric TEXT NOT NULL, value REAL NOT NULL, currency TEXT,
                 UNIQUE (date, channel, market, device, metric));
.mode csv
.import --skip 1 $CSV obs
SQL

hyperfine --runs "${RUNS:-5}" --export-json "$WORK/import-linkstar.json" \
  --prepare "rm -rf $WORK/ws-import && $BIN init --dir $WORK/ws-import >/dev/null" \
  -n "linkstar import ($ROWS rows)" "$BIN import $CSV --db $WORK/ws-import/linkstar.sqlite"
hyperfine --runs "${RUNS:-5}" --export-json "$WORK/import-sqlite3.json" \
  --prepare "rm -f $WORK/sqlite-import.db" \
  -n "sqlite3 .import ($ROWS rows)" "sqlite3 $WORK/sqlite-import.db < $WORK/sqlite-import.sql"

ours=$(mean_seconds "$WORK/import-linkstar.json")
theirs=$(mean_seconds "$WORK/import-sqlite3.json")
python3 - "$ours" "$theirs" "$ROWS" <<'PY'
import sys
ours, theirs, rows = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"import {rows} rows: linkstar {ours:.3f} s, sqlite3 .import {theirs:.3f} s → linkstar is {theirs / ours:.2f}x faster (goal ≥ 3x)")
PY

# Peak memory: once on this file, and on 10M rows when BIG=1.
rm -rf "$WORK/ws-import" && "$BIN" init --dir "$WORK/ws-import" >/dev/null
/usr/bin/time -f "%M" -o "$WORK/rss.txt" "$BIN" import "$CSV" --db "$WORK/ws-import/linkstar.sqlite" >/dev/null
echo "peak memory importing $ROWS rows: $(( $(cat "$WORK/rss.txt") / 1024 )) MB"
if [ "${BIG:-0}" = 1 ]; then
  BIGCSV="$WORK/long-10000000.csv"
  generate 10000000 "$BIGCSV"
  rm -rf "$WORK/ws-big-import" && "$BIN" init --dir "$WORK/ws-big-import" >/dev/null
  /usr/bin/time -f "%e %M" -o "$WORK/rss-big.txt" "$BIN" import "$BIGCSV" --db "$WORK/ws-big-import/linkstar.sqlite" >/dev/null
  read -r seconds kb < "$WORK/rss-big.txt"
  echo "import 10000000 rows: ${seconds} s, peak memory $(( kb / 1024 )) MB (goal ≤ 100 MB)"
fi
