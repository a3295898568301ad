#!/usr/bin/env bash
# Paid MCP tool calls beside plain HTTP paid calls, through one gateway in one run (release build):
#   (a) plain HTTP paid calls: GET /http/... with a multi-call token -> nginx (fixed JSON 200),
#   (b) paid MCP calls: POST /mcp/mcp, a JSON-RPC `tools/call` of a priced MCP tool, with a
#       multi-call token -> nginx answering a fixed JSON-RPC result (the gateway reads the request,
#       prices it by MCP tool name, forwards it and reads the answer for errors before spending),
#   (c) free MCP calls: `tools/list`, read and forwarded without a credential.
# Prints requests/s, p50 and p99 for each, and the ratio b/a.
#   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 Benchmarks/mcp.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
source Benchmarks/lib.sh
bench_need wrk nginx curl
l402=$(bench_l402)

upstream_port=$(free_port)
gateway_port=$(free_port)
rpc_result='{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"sunny"}],"isError":false}}'
start_nginx "
    server {
        listen 127.0.0.1:$upstream_port;
        location /mcp { default_type application/json; return 200 '$rpc_result'; }
        location / { default_type application/json; return 200 '{\"ok\":true,\"weather\":\"sunny\"}'; }
    }"

cat >"$work/gateway.yaml" <<CONF
listen: 127.0.0.1:$gateway_port
admin_listen: 127.0.0.1:0
data_dir: $work/data
upstream_pool_size: 256
challenge_rate_limit: {per_minute: 0}
tools:
  - slug: http
    upstream: http://127.0.0.1:$upstream_port
    price_sats: 10
    calls: 1000000000
  - slug: mcp
    kind: mcp
    upstream: http://127.0.0.1:$upstream_port
    price_sats: 10
    calls: 1000000000
    mcp_prices: {weather: 10}
CONF
"$l402" serve --config "$work/gateway.yaml" 2>"$work/gateway.log" &
pids+=($!)
wait_for "http://127.0.0.1:$upstream_port/" 200
wait_for "http://127.0.0.1:$gateway_port/_l402/health" 200

base="http://127.0.0.1:$gateway_port"
call='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"weather","arguments":{"city":"x"}}}'
list='{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
mcp_headers=(-H "Content-Type: application/json" -H "Accept: application/json, text/event-stream")

http_credential=$(buy_credential "$base" /http/weather)
# The MCP token: the 402 of a priced tools/call, paid through the dev node.
challenge=$(curl -s "${mcp_headers[@]}" -H 'Accept-Payment: l402' -d "$call" "$base/mcp/mcp")
macaroon=$(sed -n 's/.*"macaroon":"\([^"]*\)".*/\1/p' <<<"$challenge")
invoice=$(sed -n 's/.*"invoice":"\([^"]*\)".*/\1/p' <<<"$challenge")
preimage=$(curl -s -X POST -d "{\"invoice\":\"$invoice\"}" "$base/_l402/dev/pay" | sed -n 's/.*"preimage":"\([^"]*\)".*/\1/p')
mcp_credential="L402 $macaroon:$preimage"
[ "$(curl -s -o /dev/null -w '%{http_code}' "${mcp_headers[@]}" -H "Authorization: $mcp_credential" -d "$call" "$base/mcp/mcp")" = 200 ] \
    || { echo "mcp.sh: a paid MCP call did not answer 200: $challenge" >&2; exit 1; }

# wrk sends the JSON-RPC body with every request.
post_script() {
    printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Accept"] = "application/json, text/event-stream"\n' "$1" >"$work/$2.lua"
}
post_script "$call" call
post_script "$list" list

run_wrk http "$base/http/weather?city=x" -H "Authorization: $http_credential"
run_wrk mcp_paid "$base/mcp/mcp" -s "$work/call.lua" -H "Authorization: $mcp_credential"
run_wrk mcp_free "$base/mcp/mcp" -s "$work/list.lua"

python3 - "$work" "$seconds" "$connections" <<'PY'
import sys
sys.path.insert(0, "Benchmarks")
from wrk_stats import table
work, seconds, connections = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [
    ("http", "(a) plain HTTP paid calls"),
    ("mcp_paid", "(b) paid MCP tools/call"),
    ("mcp_free", "(c) free MCP tools/list"),
]
results = table(work, rows, f"MCP benchmark: wrk, {connections} connections, {seconds} s each, loopback, release build")
print(f"\npaid MCP / plain HTTP paid calls: {results['mcp_paid'][0] / results['http'][0]:.2f}")
PY
