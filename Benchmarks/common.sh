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

# The deployment build (README "Build for deployment"): release, the Swift runtime linked in statically, and a
# position-dependent executable, so the loader has ~1,000 relocations to apply instead of ~150,000.
RELEASE_FLAGS=(-c release --product linkstar --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie --scratch-path .build-release)
echo "building linkstar (release, static Swift runtime, position-dependent)…" >&2
swift build "${RELEASE_FLAGS[@]}" >&2
BIN="$ROOT/.build-release/release/linkstar"
WORK=${WORK:-$ROOT/.build-bench}
mkdir -p "$WORK"

# generate ROWS FILE: the long CSV with ROWS rows, made once.
generate() {
  if [ ! -s "$2" ]; then
    echo "generating $1 rows → $2" >&2
    python3 "$ROOT/Benchmarks/generate_long.py" "$1" > "$2"
  fi
}

# mean_seconds FILE.json: the mean time of hyperfine's first command.
mean_seconds() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$1"; }

# workspace ROWS DIR: a workspace with the long CSV of ROWS rows imported, made once.
workspace() {
  generate "$1" "$WORK/long-$1.csv"
  if [ ! -s "$2/linkstar.sqlite" ]; then
    rm -rf "$2" && "$BIN" init --dir "$2" >/dev/null
    "$BIN" import "$WORK/long-$1.csv" --db "$2/linkstar.sqlite" >/dev/null
  fi
}
