#!/usr/bin/env bash
# Fuzzes LinkStar's parsers with libFuzzer for N seconds (default 600) per target.
#   bash Fuzz/run.sh [SECONDS] [csv|playbook|cells ...]
# Builds `linkstar-fuzz` with -sanitize=fuzzer into .build-fuzz/, seeds the corpus from Tests/Fixtures and the default
# playbooks, and writes crashes to Fuzz/crashes/<target>/ (each becomes a regression test).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv playbook cells)

swift build -c release --product linkstar-fuzz --scratch-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xlinker --allow-multiple-definition >&2
binary=.build-fuzz/release/linkstar-fuzz

for target in "${targets[@]}"; do
  corpus=.build-fuzz/corpus/$target
  crashes=Fuzz/crashes/$target
  mkdir -p "$corpus" "$crashes"
  case $target in
    csv) cp Tests/Fixtures/*.csv Tests/Fixtures/*.txt "$corpus"/ 2>/dev/null || true ;;
    playbook) cp Playbooks/*.md "$corpus"/ ;;
    cells) printf '1,234.56' >"$corpus/n1"; printf '2026-11-25T23:59:59Z' >"$corpus/d1"; printf 'Nov 25, 2026' >"$corpus/d2"; printf '2026-W47' >"$corpus/p1" ;;
  esac
  echo "fuzz: $target for ${seconds}s" >&2
  # SWIFT_BACKTRACE=enable=no: let libFuzzer catch a Swift trap and save the input, instead of Swift's backtracer.
  SWIFT_BACKTRACE=enable=no LINKSTAR_FUZZ_TARGET=$target "$binary" "$corpus" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=1024 -timeout=10 \
    -artifact_prefix="$crashes/" -print_final_stats=1 2>&1 | tee ".build-fuzz/$target.log" | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==|SUMMARY)" || true
  if ls "$crashes"/crash-* "$crashes"/oom-* "$crashes"/timeout-* >/dev/null 2>&1; then
    echo "fuzz: $target found problems, see $crashes" >&2
    exit 1
  fi
done
