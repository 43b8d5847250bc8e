#!/usr/bin/env bash
# Start-up benchmark. Baseline (the floor): hello-world Swift executables built the same way as linkstar (release,
# static Swift runtime, position-dependent), one printing a string, one also importing Foundation.
# Goal: `linkstar --version` ≤ 1.5× the Foundation hello world. Also `linkstar --help` and `funnel --json` on an empty
# workspace (the argument parser's and the database's start-up), and page faults of each (perf, when present).
source "$(dirname "$0")/common.sh"
FLOOR="$WORK/floor"
mkdir -p "$FLOOR"
printf 'print("hello")\n' > "$FLOOR/hello.swift"
printf 'import Foundation\nprint("hello \\(ProcessInfo.processInfo.processIdentifier)")\n' > "$FLOOR/hellof.swift"
for name in hello hellof; do
  swiftc -O -static-stdlib -Xclang-linker -no-pie "$FLOOR/$name.swift" -o "$FLOOR/$name" 2>/dev/null
done
rm -rf "$WORK/ws-empty" && "$BIN" init --dir "$WORK/ws-empty" >/dev/null
hyperfine -N --warmup 10 --runs "${RUNS:-300}" --export-json "$WORK/startup.json" \
  -n "hello (Swift)" "$FLOOR/hello" \
  -n "hello (Swift + Foundation)" "$FLOOR/hellof" \
  -n "linkstar --version" "$BIN --version" \
  -n "linkstar --help" "$BIN --help" \
  -n "linkstar funnel --json (empty workspace)" "$BIN funnel --json --db $WORK/ws-empty/linkstar.sqlite"
python3 - "$WORK/startup.json" <<'PY'
import json, sys
results = {r["command"]: r["mean"] for r in json.load(open(sys.argv[1]))["results"]}
floor = results["hello (Swift + Foundation)"]
for name, mean in results.items():
    print(f"{name:45s} {mean * 1000:6.2f} ms  {mean / floor:5.2f}× the floor")
ratio = results["linkstar --version"] / floor
print(f"linkstar --version: {ratio:.2f}× the Foundation hello world (goal ≤ 1.5)")
PY
if command -v perf >/dev/null; then
  for command in "$FLOOR/hellof" "$BIN --version" "$BIN funnel --json --db $WORK/ws-empty/linkstar.sqlite"; do
    faults=$(perf stat -x, -e page-faults -r 20 $command 2>&1 >/dev/null | grep page-faults | cut -d, -f1)
    echo "page faults: $faults  $command"
  done
fi
