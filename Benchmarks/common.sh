# Shared set-up for the benchmark scripts: tools, a release build, a work folder.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v sqlite3 >/dev/null || need+=(sqlite3)
[ -x /usr/bin/time ] || need+=(time)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The deployment build (README, Benchmarks: start-up): release, the Swift runtime linked in statically, a
# position-dependent executable (the loader has ~1,000 relocations to apply instead of ~150,000), and SQLite and zlib
# linked in from their static archives: a folder holding only libsqlite3.a and libz.a comes first in the library
# search path, so `-lsqlite3` and `-lz` find the archives (libsqlite3-dev and zlib1g-dev install them). Every module
# is compiled with cross-module optimisation (generic code of one module specialised and inlined into another's):
# `GET /health` 179,675 → 160,021 instructions, a write + answer pair 1.946 M → 1.895 M (README, Benchmarks).
STATIC_LIBS="$ROOT/.build-release/static-libs"
mkdir -p "$STATIC_LIBS"
for lib in libsqlite3.a libz.a; do
  found=$(ls /usr/lib/*/"$lib" 2>/dev/null | head -1)
  [ -n "$found" ] && ln -sf "$found" "$STATIC_LIBS/$lib"
done
RELEASE_FLAGS=(-c release --product linkstar --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie
               -Xlinker -L"$STATIC_LIBS" -Xswiftc -cross-module-optimization --scratch-path .build-release)
# BENCH_BIN=PATH measures that binary (one built this way before) instead of building this checkout.
if [ -n "${BENCH_BIN:-}" ]; then
  BIN=$BENCH_BIN
else
  echo "building linkstar (release, static Swift runtime, position-dependent)…" >&2
  swift build "${RELEASE_FLAGS[@]}" >&2
  BIN="$ROOT/.build-release/release/linkstar"
fi
WORK=${WORK:-$ROOT/.build-bench}
mkdir -p "$WORK"

# generate ROWS FILE [SHAPE]: a CSV of ROWS rows made once by Benchmarks/generate_SHAPE.py: long (the default: 80
# segments a day, more rows are more days) or wide (800 segments a day, the way a bigger seller grows).
generate() {
  if [ ! -s "$2" ]; then
    echo "generating $1 ${3:-long} rows → $2" >&2
    python3 "$ROOT/Benchmarks/generate_${3:-long}.py" "$1" > "$2"
  fi
}

# mean_seconds FILE.json: the mean time of hyperfine's first command.
mean_seconds() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$1"; }

# workspace ROWS DIR [SHAPE]: a workspace with the CSV of ROWS rows (long or wide) imported, made once.
workspace() {
  local shape=${3:-long}
  generate "$1" "$WORK/$shape-$1.csv" "$shape"
  if [ ! -s "$2/linkstar.sqlite" ]; then
    rm -rf "$2" && "$BIN" init --dir "$2" >/dev/null
    "$BIN" import "$WORK/$shape-$1.csv" --db "$2/linkstar.sqlite" >/dev/null
  fi
  # Opened once before any measurement, so a migration this build adds runs here, not in a timed run.
  "$BIN" funnel --from 2024-01-01 --to 2024-01-01 --db "$2/linkstar.sqlite" >/dev/null
}

# funnel_sql FROM TO [CHANNEL]: writes the sqlite3 script equivalent to `linkstar funnel --from FROM --to TO
# [--channel CHANNEL] --json` (Benchmarks/funnel.sql with its parameters set; the compared window is the one before,
# of the same length) and prints its path.
funnel_sql() {
  local out="$WORK/funnel-$1-$2-${3:-all}.sql"
  python3 - "$1" "$2" "${3:-}" > "$out" <<'PY'
import datetime, sys
epoch = datetime.date(1970, 1, 1)
start, end = (datetime.date.fromisoformat(d) for d in sys.argv[1:3])
first, last = (start - epoch).days, (end - epoch).days
print(f".parameter set @from {first}")
print(f".parameter set @to {last}")
print(f".parameter set @compare_from {first - (last - first + 1)}")
print(f".parameter set @channel {repr(sys.argv[3]) if sys.argv[3] else 'NULL'}")
PY
  cat "$ROOT/Benchmarks/funnel.sql" >> "$out"
  echo "$out"
}

# api_workspace: the 1M-observation workspace of the API benchmarks ($WORK/ws-api, made once) with a viewer and an
# editor; sets WS, and exports TOKEN (viewer) and WRITE_TOKEN (editor), new tokens each run.
api_workspace() {
  generate 1000000 "$WORK/long-1000000.csv"
  WS="$WORK/ws-api"
  if [ ! -s "$WS/linkstar.sqlite" ]; then
    rm -rf "$WS" && "$BIN" init --dir "$WS" >/dev/null
    "$BIN" import "$WORK/long-1000000.csv" --db "$WS/linkstar.sqlite" >/dev/null
    "$BIN" person add bench.bot --name "Benchmark" --role viewer --db "$WS/linkstar.sqlite" >/dev/null
  fi
  "$BIN" person add bench.writer --name "Benchmark writer" --role editor --db "$WS/linkstar.sqlite" >/dev/null 2>&1 || true
  TOKEN=$("$BIN" token create --person bench.bot --role viewer --label benchmark --db "$WS/linkstar.sqlite" 2>/dev/null)
  WRITE_TOKEN=$("$BIN" token create --person bench.writer --role editor --label benchmark --db "$WS/linkstar.sqlite" 2>/dev/null)
  export TOKEN WRITE_TOKEN
}
