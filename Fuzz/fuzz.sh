#!/usr/bin/env bash
# `make fuzz`: builds every libFuzzer target of Fuzz/Targets/ (libFuzzer + AddressSanitizer, release) in
# .build-fuzz/, runs each in turn from its seed corpus Fuzz/corpus/<Target>/, and prints a table of
# executions and crashes per target. Exits non-zero if any target crashed or failed to run.
#
#   FUZZ_SECONDS   time per target (default 60; 0 = no time limit)
#   FUZZ_RUNS      executions per target (default: unlimited, the time limit stops it)
#   FUZZ_TARGETS   which targets (default: every Fuzz/Targets/*.swift), e.g. "Credential Bolt11"
#   FUZZ_JOBS      build jobs (default 1; the build is heavy)
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
runs=${FUZZ_RUNS:-}
targets=${FUZZ_TARGETS:-$(basename -s .swift Fuzz/Targets/*.swift)}
scratch=.build-fuzz
build=(swift build -c release --scratch-path "$scratch" -j "${FUZZ_JOBS:-1}"
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing)

# Swift's own crash reporter would hold a crashing input's process open; libFuzzer reports crashes itself.
export SWIFT_BACKTRACE=enable=no
# Faster AddressSanitizer with the same checks: no stack trace recorded at every allocation (a report
# then lacks the allocation's stack: replay the input with ASAN_OPTIONS= to get it) and no filling of
# new allocations with a marker byte. Together about 1.4 times the executions per second here.
export ASAN_OPTIONS=${ASAN_OPTIONS-malloc_context_size=0:max_malloc_fill_size=0}

for target in $targets; do
    echo "== building Fuzz$target"
    L402_FUZZ=1 "${build[@]}" --product "Fuzz$target" 2>&1 | grep -Ev "warning: Cannot export local symbol '__asan" || true
done
bin=$(L402_FUZZ=1 "${build[@]}" --show-bin-path)

report=()
failed=0
for target in $targets; do
    corpus=$scratch/corpus/$target artifacts=$scratch/artifacts/$target log=$scratch/logs/$target.log
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    echo "== fuzzing $target (${runs:+$runs runs, }${seconds}s limit; log $log)"
    if [ ! -x "$bin/Fuzz$target" ]; then
        report+=("$target|-|-|-|not built"); failed=1; continue
    fi
    before=$(ls "$artifacts" | wc -l)
    # New inputs go to the first folder (the working corpus), never into the committed seeds.
    "$bin/Fuzz$target" "$corpus" "Fuzz/corpus/$target" -max_total_time="$seconds" ${runs:+-runs=$runs} \
        -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
    status=$?
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    crashes=$(( $(ls "$artifacts" | wc -l) - before ))
    result=ok
    if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
        result="FAILED (exit $status; see $log)"; failed=1
    fi
    report+=("$target|${executions:-?}|${speed:-?}|$crashes|$result")
done

printf '\n%-14s %14s %10s %8s  %s\n' target executions exec/s crashes result
for row in "${report[@]}"; do
    IFS='|' read -r target executions speed crashes result <<<"$row"
    printf '%-14s %14s %10s %8s  %s\n' "$target" "$executions" "$speed" "$crashes" "$result"
done
exit $failed
