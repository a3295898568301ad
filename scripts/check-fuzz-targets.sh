#!/usr/bin/env bash
# Compiles every fuzz target's module (debug, without libFuzzer: nothing is linked or run), so a change
# that breaks a target fails `make test` instead of the next `make fuzz`. The targets exist only with
# L402_FUZZ=1 (docs/fuzzing.md); the modules they import are those `make test` has just built.
set -euo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in $(basename -s .swift Fuzz/Targets/*.swift); do
    if ! L402_FUZZ=1 $swift build --target "Fuzz$target" >"$log" 2>&1; then
        grep -E "error:" "$log" >&2 || tail -20 "$log" >&2
        echo "check-fuzz-targets: Fuzz/Targets/$target.swift does not compile" >&2
        exit 1
    fi
done
echo "check-fuzz-targets: every fuzz target compiles"
