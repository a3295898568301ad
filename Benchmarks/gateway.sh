#!/usr/bin/env bash
# Gateway throughput and latency, measured with wrk on loopback in one run (release build):
#   (a) the upstream alone (nginx answering a fixed 200),
#   (b) nginx (Debian nginx-light) as a plain reverse proxy to it: the baseline,
#   (b2) a plain SwiftNIO reverse proxy (Benchmarks/BenchNIOProxy, no paywall): what forwarding alone
#        costs in Swift, the floor under a fast path of our own,
#   (c) l402 serve forwarding paid calls with one valid multi-call token,
#   (d) l402 serve issuing 402 challenges (both offers: two invoices, a macaroon, a stored root key and
#       a Payment challenge each), then (d1) the L402 offer alone (`Accept-Payment: l402`, one invoice);
#       the Lightning node's time per invoice is read from the gateway's metrics and shown apart,
#   (e) paid calls each bought afresh with a one-call L402 token: 402 → dev pay → call,
#   (f) paid calls each bought afresh with a `Payment` charge (Lightning `charge`): 402 → dev pay → call.
# Prints requests/s, p50 and p99 for each, the ratio c/b, the latency the gateway adds, and the paid
# calls per second of (e) and (f) (a `Payment` credential is good for one call, so each of its paid
# calls costs a challenge and a payment, like a one-call L402 token; (c) is the multi-call token case).
# Then the latency of (a), (b) and (c) again at a fixed, light load (Benchmarks/fixed_rate.lua: 4
# connections, each pausing BENCH_PAUSE_MS after every answer), where latency is the cost of one
# request rather than the length of the queue; (b2) too.
#   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 BENCH_CYCLE_CONNECTIONS=8 BENCH_PAUSE_MS=2 Benchmarks/gateway.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
cycle_connections=${BENCH_CYCLE_CONNECTIONS:-8}
source Benchmarks/lib.sh
bench_need wrk nginx curl
l402=$(bench_l402)
nio_proxy=$(bench_build BenchNIOProxy)

upstream_port=$(free_port)
proxy_port=$(free_port)
gateway_port=$(free_port)
admin_port=$(free_port)
nio_proxy_port=$(free_port)

# nginx: the upstream and, in front of it, the reverse-proxy baseline tuned as one would in production.
start_nginx "$(reverse_proxy "$proxy_port" "$upstream_port")
    $(fixed_upstream "$upstream_port")"

# The operator listener on a known port: its metrics give the node's time per invoice.
{
    gateway_config "$gateway_port" "$work/data" "127.0.0.1:$admin_port"
    cat <<CONF
  - slug: once  # (e) and (f): a call bought per call, by either scheme (both offered)
    upstream: http://127.0.0.1:$upstream_port
    price_sats: 10
    description: benchmark tool
CONF
} >"$work/gateway.yaml"
"$l402" serve --config "$work/gateway.yaml" 2>"$work/gateway.log" &
pids+=($!)
"$nio_proxy" "$nio_proxy_port" "$upstream_port" &
pids+=($!)

wait_for "http://127.0.0.1:$upstream_port/" 200
wait_for "http://127.0.0.1:$proxy_port/tool/" 200
wait_for "http://127.0.0.1:$nio_proxy_port/tool/" 200
wait_for "http://127.0.0.1:$gateway_port/_l402/health" 200

# One token good for a billion calls: challenge → dev pay → credential.
credential=$(buy_credential "http://127.0.0.1:$gateway_port" /tool/)

run_wrk upstream "http://127.0.0.1:$upstream_port/weather?city=x"
run_wrk nginx "http://127.0.0.1:$proxy_port/tool/weather?city=x"
run_wrk nio_proxy "http://127.0.0.1:$nio_proxy_port/tool/weather?city=x"
run_wrk gateway "http://127.0.0.1:$gateway_port/tool/weather?city=x" -H "Authorization: $credential"
# The node's time per invoice: the invoice histogram's sum and count and the 402s answered, before
# and after each challenge run (warm-up included in both).
invoice_totals() {
    curl -s "http://127.0.0.1:$admin_port/_l402/metrics" | awk '
        /^l402_invoice_duration_seconds_sum/ {s = $2}
        /^l402_invoice_duration_seconds_count/ {c = $2}
        /^l402_requests_total/ && /outcome="challenged"/ && /tool="tool"/ {n = $2}
        END {print s + 0, c + 0, n + 0}'
}
invoice_samples=("$(invoice_totals)")
run_wrk challenge "http://127.0.0.1:$gateway_port/tool/weather?city=x"
invoice_samples+=("$(invoice_totals)")
run_wrk challenge_l402 "http://127.0.0.1:$gateway_port/tool/weather?city=x" -H "Accept-Payment: l402"
invoice_samples+=("$(invoice_totals)")

# (e), (f): each wrk thread has one connection and walks ask → pay → call on it (Benchmarks/paid_cycles.lua).
run_cycles() {
    local name=$1 scheme=$2 url=$3
    BENCH_SCHEME=$scheme wrk -t"$cycle_connections" -c"$cycle_connections" -d2s -s Benchmarks/paid_cycles.lua "$url" >/dev/null
    BENCH_SCHEME=$scheme wrk -t"$cycle_connections" -c"$cycle_connections" -d"${seconds}s" --latency \
        -s Benchmarks/paid_cycles.lua "$url" >"$work/$name.txt"
}
run_cycles l402_cycles l402 "http://127.0.0.1:$gateway_port/once/weather?city=x"
run_cycles payment_cycles payment "http://127.0.0.1:$gateway_port/once/weather?city=x"

# Latency at a fixed, light load: 4 connections on 2 threads, each pausing after every answer.
light=(-t2 -c4 -d"${seconds}s" --latency -s Benchmarks/fixed_rate.lua)
wrk "${light[@]}" "http://127.0.0.1:$upstream_port/weather?city=x" >"$work/light_upstream.txt"
wrk "${light[@]}" "http://127.0.0.1:$proxy_port/tool/weather?city=x" >"$work/light_nginx.txt"
wrk "${light[@]}" "http://127.0.0.1:$nio_proxy_port/tool/weather?city=x" >"$work/light_nio_proxy.txt"
wrk "${light[@]}" -H "Authorization: $credential" "http://127.0.0.1:$gateway_port/tool/weather?city=x" >"$work/light_gateway.txt"

python3 - "$work" "$seconds" "$connections" "$cycle_connections" "${BENCH_PAUSE_MS:-2}" "${invoice_samples[@]}" <<'PY'
import sys
sys.path.insert(0, "Benchmarks")
from wrk_stats import paid_calls, parse, table
work, seconds, connections, cycle_connections, pause = sys.argv[1:6]
invoice_samples = [tuple(map(float, sample.split())) for sample in sys.argv[6:9]]  # (seconds, invoices, 402s)

rows = [
    ("upstream", "(a) upstream alone (nginx, fixed 200)"),
    ("nginx", "(b) nginx reverse proxy -> upstream [baseline]"),
    ("nio_proxy", "(b2) SwiftNIO reverse proxy, no paywall"),
    ("gateway", "(c) l402 gateway, paid calls -> upstream"),
    ("challenge", "(d) l402 gateway, 402 challenges (L402 + Payment)"),
    ("challenge_l402", "(d1) 402 challenges, L402 offer only"),
]
results = table(
    work, rows, f"Gateway benchmark: wrk, {connections} connections, {seconds} s each, loopback, release build",
    allow_non2xx=("challenge", "challenge_l402"))
a, b, c, d = (results[n] for n in ("upstream", "nginx", "gateway", "challenge"))
print(f"\nc/b throughput ratio: {c[0] / b[0]:.2f} (target >= 0.50); b2/b (forwarding alone in Swift): "
      f"{results['nio_proxy'][0] / b[0]:.2f}")
print(f"latency added over the upstream alone: nginx p50 +{b[1] - a[1]:.2f} ms, p99 +{b[2] - a[2]:.2f} ms; "
      f"gateway p50 +{c[1] - a[1]:.2f} ms, p99 +{c[2] - a[2]:.2f} ms")
print(f"challenges: {d[0]:.0f} per second; {d[3]} of {d[5]} answers were non-2xx (402 expected for all)")

# The node's share of a 402: the invoice histogram's growth over each challenge run (warm-up included),
# set against the 402's mean latency (Little's law: connections / rate). The time inside the node is
# wall time: on the dev node it includes waiting for the database, as every invoice is stored.
for (label, name), (before, after) in zip(
        (("(d) both offers", "challenge"), ("(d1) L402 only", "challenge_l402")),
        zip(invoice_samples, invoice_samples[1:])):
    seconds_spent, invoices, challenges = (a - b for a, b in zip(after, before))
    rate = results[name][0]
    if invoices and challenges:
        mean_ms = seconds_spent / invoices * 1e3
        per_402 = invoices / challenges
        latency_ms = int(connections) / rate * 1e3
        print(f"node, {label}: {invoices:.0f} invoices, {mean_ms:.2f} ms inside the node each; "
              f"{per_402:.1f} per 402 = {mean_ms * per_402:.2f} ms of a 402's mean {latency_ms:.2f} ms "
              f"({100 * mean_ms * per_402 / latency_ms:.0f}%)")

# (e), (f): wrk's req/s and latencies would mix the 402, the dev payment and the call; what counts is
# paid calls per second, each one challenge + payment + call.
print(f"\nPaid calls bought one per call ({cycle_connections} connections, each walking 402 -> dev pay -> call):")
cycles = {name: paid_calls(f"{work}/{name}_cycles.txt") for name in ("l402", "payment")}
for name, label in (("l402", "(e) L402, a one-call token per call"), ("payment", "(f) Payment, a Lightning charge per call")):
    rate, failed = cycles[name]
    print(f"{label:42} {rate:8.0f} paid calls/s" + (f"  ({failed} cycles failed)" if failed else ""))
print(f"{'(c) L402, one multi-call token':42} {c[0]:8.0f} paid calls/s (no payment per call)")
print(f"Payment / one-call L402: {cycles['payment'][0] / cycles['l402'][0]:.2f}")

# Latency at a fixed, light load, where it is the cost of one request rather than the queue's length.
light = {name: parse(f"{work}/light_{name}.txt") for name in ("upstream", "nginx", "nio_proxy", "gateway")}
print(f"\nLatency at a fixed light load (4 connections, each pausing {pause} ms after every answer):")
print(f"{'':42} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8}")
for name, label in (("upstream", "(a) upstream alone"), ("nginx", "(b) nginx reverse proxy"),
                    ("nio_proxy", "(b2) SwiftNIO reverse proxy"), ("gateway", "(c) l402 gateway, paid calls")):
    rps, p50, p99 = light[name][:3]
    print(f"{label:42} {rps:10.0f} {p50:8.3f} {p99:8.3f}")
print(f"gateway over nginx: p50 +{light['gateway'][1] - light['nginx'][1]:.3f} ms (target <= 0.3), "
      f"p99 +{light['gateway'][2] - light['nginx'][2]:.3f} ms (target <= 1)")
PY
