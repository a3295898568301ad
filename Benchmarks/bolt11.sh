#!/usr/bin/env bash
# BOLT-11 speed: Invoice.encode (sign) and Invoice.decode (recover) beside libsecp256k1's own raw
# sign-recoverable and recover on the same key and digest, measured in the same run (release build).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
bench=$(bench_build BenchBolt11)
"$bench"

# An independent decoder for scale: PyPI bolt11 (Python, coincurve for the curve) on the same invoices.
if python3 -c "import bolt11" 2>/dev/null; then
    "$bench" invoices | python3 -c '
import sys, timeit, bolt11
names = ["PyPI bolt11: decode, dev-node invoice", "PyPI bolt11: decode, spec pico invoice, route hint"]
for name, text in zip(names, sys.stdin.read().split()):
    runs = 300
    seconds = min(timeit.repeat(lambda: bolt11.decode(text), number=runs, repeat=3))
    print(f"{name:<52}{runs / seconds:12.0f} ops/s {seconds / runs * 1e6:9.1f} µs/op")
'
else
    echo "PyPI bolt11 not installed (scripts/install-deps.sh bench): no Python comparison"
fi
