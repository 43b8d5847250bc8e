#!/usr/bin/env bash
# Instruction counts (valgrind --tool=callgrind): stable on a noisy machine, so a regression shows even when wall
# time does not. The funnel query of Benchmarks/funnel.sh at 1M observations against the sqlite3 CLI running
# Benchmarks/funnel.sql (the same like-for-like numbers), and start-up against the Foundation hello world of
# Benchmarks/startup.sh. Counts are of the whole process, user space; the ratio is what to watch.
source "$(dirname "$0")/common.sh"
command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
QUERY="funnel --from 2028-09-01 --to 2028-09-30 --channel amazon --json"
workspace 1000000 "$WORK/ws-long-1000000"
FLOOR="$WORK/floor"
mkdir -p "$FLOOR"
printf 'import Foundation\nprint("hello \\(ProcessInfo.processInfo.processIdentifier)")\n' > "$FLOOR/hellof.swift"
[ -x "$FLOOR/hellof" ] || swiftc -O -static-stdlib -Xclang-linker -no-pie "$FLOOR/hellof.swift" -o "$FLOOR/hellof" 2>/dev/null

# valgrind cannot read the release build's DWARF 5 debug info: count on a copy without it (symbols stay).
STRIPPED="$WORK/linkstar-nodebug"
cp "$BIN" "$STRIPPED" && strip --strip-debug "$STRIPPED"

# instructions NAME COMMAND…: total instructions executed (callgrind's "Collected"), printed and returned.
instructions() {
  local name=$1; shift
  local out="$WORK/callgrind.$name"
  valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>"$out.log"
  grep -E '^(summary|totals):' "$out" | head -1 | awk '{print $2}'
}
ours=$(instructions linkstar-funnel "$STRIPPED" $QUERY --db "$WORK/ws-long-1000000/linkstar.sqlite")
theirs=$(instructions sqlite3-funnel sqlite3 -bail "$WORK/ws-long-1000000/linkstar.sqlite" -init "$(funnel_sql 2028-09-01 2028-09-30 amazon)" .quit)
# The wide workspace (800 segments a day), every channel: Benchmarks/funnel.sh's wide query.
workspace 1000000 "$WORK/ws-wide-1000000" wide
WIDE="funnel --from 2024-04-01 --to 2024-04-30 --json"
ours_wide=$(instructions linkstar-funnel-wide "$STRIPPED" $WIDE --db "$WORK/ws-wide-1000000/linkstar.sqlite")
theirs_wide=$(instructions sqlite3-funnel-wide sqlite3 -bail "$WORK/ws-wide-1000000/linkstar.sqlite" -init "$(funnel_sql 2024-04-01 2024-04-30)" .quit)
version=$(instructions linkstar-version "$STRIPPED" --version)
floor=$(instructions hellof "$FLOOR/hellof")
python3 - "$ours" "$theirs" "$version" "$floor" "$ours_wide" "$theirs_wide" <<'PY'
import sys
ours, theirs, version, floor, ours_wide, theirs_wide = map(int, sys.argv[1:7])
print(f"funnel at 1M (long, amazon): linkstar {ours:,} instructions, sqlite3 {theirs:,} → {ours / theirs:.2f}× (goal ≤ 1.0)")
print(f"funnel at 1M (wide, all): linkstar {ours_wide:,} instructions, sqlite3 {theirs_wide:,} → {ours_wide / theirs_wide:.2f}× (goal ≤ 1.0)")
print(f"start-up: linkstar --version {version:,}, Foundation hello world {floor:,} → {version / floor:.2f}×")
PY
echo "per-function detail: callgrind_annotate $WORK/callgrind.linkstar-funnel | head -40" >&2
