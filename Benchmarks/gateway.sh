#!/usr/bin/env bash
# Gateway throughput and latency, measured with wrk on loopback in one run (release build):
#   (a) the upstream alone (nginx answering a fixed 200),
#   (b) nginx (Debian nginx-light) as a plain reverse proxy to it: the baseline,
#   (c) l402 serve forwarding paid calls with one valid multi-call token,
#   (d) l402 serve issuing 402 challenges (invoice + macaroon + stored root key each).
# Prints requests/s, p50 and p99 for each, the ratio c/b and the latency the gateway adds.
#   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 Benchmarks/gateway.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
source Benchmarks/lib.sh
bench_need wrk nginx curl
l402=$(bench_l402)

upstream_port=$(free_port)
proxy_port=$(free_port)
gateway_port=$(free_port)

# nginx: the upstream and, in front of it, the reverse-proxy baseline tuned as one would in production.
start_nginx "
    upstream tool { server 127.0.0.1:$upstream_port; keepalive 256; }
    $(fixed_upstream "$upstream_port")
    server {
        listen 127.0.0.1:$proxy_port;
        location /tool/ {
            proxy_pass http://tool/;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
        }
    }"

cat >"$work/gateway.yaml" <<CONF
listen: 127.0.0.1:$gateway_port
admin_listen: 127.0.0.1:0  # the operator listener on any free port: the benchmark does not use it
data_dir: $work/data
upstream_pool_size: 256
challenge_rate_limit:
  per_minute: 0  # (d) measures challenge issuing itself, from one client
tools:
  - slug: tool
    upstream: http://127.0.0.1:$upstream_port
    price_sats: 10
    calls: 1000000000
    description: benchmark tool
CONF
"$l402" serve --config "$work/gateway.yaml" 2>"$work/gateway.log" &
pids+=($!)

wait_for "http://127.0.0.1:$upstream_port/" 200
wait_for "http://127.0.0.1:$proxy_port/tool/" 200
wait_for "http://127.0.0.1:$gateway_port/_l402/health" 200

# One token good for a billion calls: challenge → dev pay → credential.
credential=$(buy_credential "http://127.0.0.1:$gateway_port" /tool/)

run_wrk upstream "http://127.0.0.1:$upstream_port/weather?city=x"
run_wrk nginx "http://127.0.0.1:$proxy_port/tool/weather?city=x"
run_wrk gateway "http://127.0.0.1:$gateway_port/tool/weather?city=x" -H "Authorization: $credential"
run_wrk challenge "http://127.0.0.1:$gateway_port/tool/weather?city=x"

python3 - "$work" "$seconds" "$connections" <<'PY'
import sys
sys.path.insert(0, "Benchmarks")
from wrk_stats import table
work, seconds, connections = sys.argv[1], sys.argv[2], sys.argv[3]

rows = [
    ("upstream", "(a) upstream alone (nginx, fixed 200)"),
    ("nginx", "(b) nginx reverse proxy -> upstream [baseline]"),
    ("gateway", "(c) l402 gateway, paid calls -> upstream"),
    ("challenge", "(d) l402 gateway, 402 challenges"),
]
results = table(
    work, rows, f"Gateway benchmark: wrk, {connections} connections, {seconds} s each, loopback, release build",
    allow_non2xx=("challenge",))
a, b, c, d = (results[n] for n in ("upstream", "nginx", "gateway", "challenge"))
print(f"\nc/b throughput ratio: {c[0] / b[0]:.2f} (target >= 0.50)")
print(f"latency added over the upstream alone: nginx p50 +{b[1] - a[1]:.2f} ms, p99 +{b[2] - a[2]:.2f} ms; "
      f"gateway p50 +{c[1] - a[1]:.2f} ms, p99 +{c[2] - a[2]:.2f} ms")
print(f"challenges: {d[0]:.0f} per second; {d[3]} of {d[5]} answers were non-2xx (402 expected for all)")
PY
