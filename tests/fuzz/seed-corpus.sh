#!/bin/sh
# Fills tests/fuzz/corpus/TARGET/ with seeds: the golden programs (tests/programs/*.ruff)
# for every target, plus the parser and compiler test inputs (tests/syntax,
# tests/compile_errors, tests/dump) for `frontend`. Safe to rerun; the corpus is not committed.
# Usage (from anywhere): sh tests/fuzz/seed-corpus.sh [MAX_BYTES]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tests="$here/.."
max=${1:-4096}
for target in tiers frontend; do
    dir="$here/corpus/$target"
    mkdir -p "$dir"
    n=0
    if [ "$target" = frontend ]; then
        dirs="programs syntax compile_errors dump"
    else
        dirs="programs"
    fi
    for f in $(for d in $dirs; do ls "$tests/$d"/*.ruff; done); do
        # Skip programs larger than libFuzzer's -max_len, the allocation-heavy ones
        # (seconds each under AddressSanitizer, so they only produce timeouts) and
        # the timing builtin (the tiers target ignores it anyway).
        [ "$(wc -c < "$f")" -le "$max" ] || continue
        case "$(basename "$f")" in gc_heavy_* | gc_stress_*) continue ;; esac
        grep -q performance_now "$f" && continue
        cp "$f" "$dir/$(basename "$(dirname "$f")")_$(basename "$f")"
        n=$((n + 1))
    done
    echo "$dir: $n seeds"
done
