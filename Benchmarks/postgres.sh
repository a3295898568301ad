#!/usr/bin/env bash
# Paid-call throughput with the embedded SQLite store vs a shared PostgreSQL database, with one and with
# two gateways (release build, loopback, one run). Every request is a paid call: wrk (Benchmarks/spread.lua)
# rotates through 32 multi-call tokens and spreads its threads over the gateways as a load balancer would.
# Each paid call reserves the call in the database and writes a ledger row; the upstream is nginx
# answering a fixed 200. PostgreSQL is a throwaway cluster (scripts/postgres-test-cluster.sh, default
# durability settings) on the same machine; two SQLite gateways share one database file (one host only).
#   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 Benchmarks/postgres.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-4}  # even, so two gateways get the same number of wrk threads
source Benchmarks/lib.sh
bench_need wrk nginx curl
l402=$(bench_l402)

# A cluster of this benchmark's own (the tests may be using the checkout's), stopped on exit.
export L402_PG_DIR=${TMPDIR:-/tmp}/l402-pg-bench-$$ L402_PG_DURABLE=1
exit_hooks+=("scripts/postgres-test-cluster.sh stop")
scripts/postgres-test-cluster.sh start
eval "$(scripts/postgres-test-cluster.sh env)"

upstream_port=$(free_port)
start_nginx "$(fixed_upstream "$upstream_port")"
wait_for "http://127.0.0.1:$upstream_port/" 200

# Starts a gateway on `port` with data directory `dir` and database `url` (empty: SQLite in `dir`).
start_gateway() {
    local port=$1 dir=$2 url=$3
    mkdir -p "$dir"
    gateway_config "$port" "$dir" >"$work/gateway-$port.yaml"
    DATABASE_URL=$url "$l402" serve --config "$work/gateway-$port.yaml" 2>>"$work/gateway-$port.log" &
    pids+=($!)
    gateway_pids+=($!)
    wait_for "http://127.0.0.1:$port/_l402/health" 200
}

stop_gateways() {
    local pid
    for pid in "${gateway_pids[@]}"; do kill "$pid"; wait "$pid" || true; done
    gateway_pids=()
}

# One measurement: name, database URL (empty: SQLite), number of gateways.
measure() {
    local name=$1 url=$2 count=$3 ports=() port i
    gateway_pids=()
    for ((i = 0; i < count; i++)); do
        port=$(free_port)
        ports+=("$port")
        # The same data directory: one dev node key (and, for SQLite, one database file) for all gateways.
        start_gateway "$port" "$work/$name" "$url"
    done
    : >"$work/$name.credentials"
    for i in $(seq 1 32); do buy_credential "http://127.0.0.1:${ports[$((i % count))]}" /tool/ >>"$work/$name.credentials"; done
    BENCH_PORTS=$(IFS=,; echo "${ports[*]}") BENCH_CREDENTIALS="$work/$name.credentials" \
        run_wrk "$name" "http://127.0.0.1:${ports[0]}/tool/weather?city=x" -s Benchmarks/spread.lua
    stop_gateways
    # How the paid calls were shared (each gateway logs one line per call), to show the spread is real.
    for port in "${ports[@]}"; do grep -c "outcome=paid" "$work/gateway-$port.log" || true; done | paste -sd/ >"$work/$name.spread"
}

sqlite_url=""
postgres_url="$L402_TEST_DATABASE_URL"
measure sqlite-1 "$sqlite_url" 1
measure sqlite-2 "$sqlite_url" 2
measure postgres-1 "$postgres_url" 1
# A fresh database, so both PostgreSQL runs start from an empty ledger.
psql "$postgres_url" -qc "CREATE DATABASE l402_bench2"
measure postgres-2 "${postgres_url%/*}/l402_bench2" 2

python3 - "$work" "$seconds" "$connections" <<'PY'
import sys
sys.path.insert(0, "Benchmarks")
from wrk_stats import parse
work, seconds, connections = sys.argv[1], sys.argv[2], sys.argv[3]
print(f"\nPaid calls per second: wrk, {connections} connections, {seconds} s each, 32 tokens, loopback, release build")
print(f"{'':12} {'1 gateway':>28} {'2 gateways':>28}")
print(f"{'':12} {'req/s   p50 ms   p99 ms':>28} {'req/s   p50 ms   p99 ms':>28}")
notes = []
for store in ("sqlite", "postgres"):
    cells = []
    for count in (1, 2):
        name = f"{store}-{count}"
        rps, p50, p99, non2xx, errors, total = parse(f"{work}/{name}.txt")
        cells.append(f"{rps:10.0f} {p50:8.2f} {p99:8.2f}")
        if non2xx or errors:
            notes.append(f"{name}: {non2xx} of {total} answers non-2xx {errors}")
        if count > 1:
            notes.append(f"{name}: paid calls per gateway (warm-up included) {open(f'{work}/{name}.spread').read().strip()}")
    print(f"{store:12} {cells[0]:>28} {cells[1]:>28}")
for note in notes:
    print("  " + note)
PY
