#!/usr/bin/env bash
# BOLT-11 speed: Invoice.encode (sign) and Invoice.decode (recover) beside libsecp256k1's own raw
# sign-recoverable and recover on the same key and digest, measured in the same run (release build).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product BenchBolt11 2>&1 | grep -E "error|Compiling Bench" || true
"$(swift build -c release --show-bin-path)/BenchBolt11"
