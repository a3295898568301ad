#!/usr/bin/env bash
# Usage reports on a big ledger, before and after the rollup (issue 16), on SQLite and PostgreSQL: a
# gateway creates and migrates each database, stops, then Benchmarks/usage_rollup.py fills its ledger
# and times the usage query both ways (and the trigger's cost per call). PostgreSQL is a throwaway
# cluster (scripts/postgres-test-cluster.sh) on the same machine. L402_BIN skips the release build.
#   BENCH_LEDGER_ROWS=10000000 Benchmarks/usage.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${BENCH_LEDGER_ROWS:-10000000}
source Benchmarks/lib.sh
bench_need curl psql python3
l402=${L402_BIN:-$(bench_l402)}

# Runs a gateway on database `url` (empty: SQLite in $work) until it answers, so the schema is migrated.
migrate() {
    local port
    port=$(free_port)
    cat >"$work/gateway.yaml" <<CONF
listen: 127.0.0.1:$port
admin_listen: 127.0.0.1:0
data_dir: $work/data
tools: []
CONF
    DATABASE_URL=$1 "$l402" serve --config "$work/gateway.yaml" >>"$work/gateway.log" 2>&1 &
    local pid=$!
    wait_for "http://127.0.0.1:$port/_l402/health" 200
    kill "$pid"
    wait "$pid" || true
}

migrate ""
python3 Benchmarks/usage_rollup.py sqlite "$work/data/l402.sqlite" "$rows"

export L402_PG_DIR=${TMPDIR:-/tmp}/l402-pg-usage-$$
exit_hooks+=("scripts/postgres-test-cluster.sh stop")
scripts/postgres-test-cluster.sh start
eval "$(scripts/postgres-test-cluster.sh env)"
separator='?'; [[ $L402_TEST_DATABASE_URL == *\?* ]] && separator='&'
migrate "$L402_TEST_DATABASE_URL${separator}schema=usage_bench"
DATABASE_URL=$L402_TEST_DATABASE_URL python3 Benchmarks/usage_rollup.py postgres usage_bench "$rows"
