#!/usr/bin/env bash
# A before/after of two builds of `l402` in one run: each gateway part (gateway.sh, cpu.sh and
# postgres.sh) runs on BENCH_BEFORE (a binary built from an older commit), then at once on this
# checkout's release build (or BENCH_L402), so both see the same machine and the same load. Every
# output is kept in BENCH_OUT (default ./bench-compare) as <part>.before.txt and <part>.after.txt.
#   git worktree add /tmp/old <commit> && (cd /tmp/old && swift build -c release --product l402)
#   BENCH_BEFORE=/tmp/old/.build/release/l402 Benchmarks/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x "${BENCH_BEFORE:-}" ] || { echo "compare.sh: BENCH_BEFORE must name an l402 binary" >&2; exit 1; }
out=${BENCH_OUT:-bench-compare}
mkdir -p "$out"
source Benchmarks/lib.sh
after=$(bench_l402)
for part in ${BENCH_PARTS:-gateway cpu postgres}; do
    for side in before after; do
        binary=$BENCH_BEFORE
        [ "$side" = after ] && binary=$after
        echo "== $part, $side ($binary)"
        BENCH_L402=$binary "Benchmarks/$part.sh" 2>&1 | tee "$out/$part.$side.txt"
    done
done
