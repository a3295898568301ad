#!/usr/bin/env bash
# Every benchmark, in release mode, each printing our numbers beside a baseline measured in the same run.
# `make bench` calls this. Add a part as Benchmarks/<name>.sh and list it here.
set -euo pipefail
cd "$(dirname "$0")"
./macaroons.sh
./bolt11.sh
./gateway.sh
./cpu.sh
./postgres.sh
./mcp.sh
