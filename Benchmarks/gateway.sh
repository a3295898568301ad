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
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "gateway.sh: $tool missing; run scripts/install-deps.sh bench" >&2; exit 1; }
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

swift build -c release --product l402 2>&1 | grep -E "error|warning: unre" || true
l402="$(swift build -c release --show-bin-path)/l402"

# A free loopback port (the kernel picks it; we release it at once and use it right after).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
upstream_port=$(free_port)
proxy_port=$(free_port)
gateway_port=$(free_port)

wait_for() {  # url, expected status
    for _ in $(seq 1 200); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = "$2" ] && return 0
        sleep 0.05
    done
    echo "gateway.sh: $1 never answered $2" >&2; exit 1
}

# nginx: the upstream and, in front of it, the reverse-proxy baseline tuned as one would in production.
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    keepalive_requests 1000000;
    upstream tool { server 127.0.0.1:$upstream_port; keepalive 256; }
    server {
        listen 127.0.0.1:$upstream_port;
        location / { default_type application/json; return 200 '{"ok":true,"weather":"sunny"}'; }
    }
    server {
        listen 127.0.0.1:$proxy_port;
        location /tool/ {
            proxy_pass http://tool/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
        }
    }
}
CONF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

cat >"$work/gateway.yaml" <<CONF
listen: 127.0.0.1:$gateway_port
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
challenge=$(curl -s "http://127.0.0.1:$gateway_port/tool/")
macaroon=$(sed -n 's/.*"macaroon":"\([^"]*\)".*/\1/p' <<<"$challenge")
invoice=$(sed -n 's/.*"invoice":"\([^"]*\)".*/\1/p' <<<"$challenge")
preimage=$(curl -s -X POST -d "{\"invoice\":\"$invoice\"}" "http://127.0.0.1:$gateway_port/_l402/dev/pay" | sed -n 's/.*"preimage":"\([^"]*\)".*/\1/p')
credential="L402 $macaroon:$preimage"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $credential" "http://127.0.0.1:$gateway_port/tool/")" = 200 ] \
    || { echo "gateway.sh: the paid call did not answer 200" >&2; exit 1; }

run() {  # name, url, [header]
    local name=$1 url=$2
    shift 2
    # A short warm-up so connection pools and caches are filled before measuring.
    wrk -t"$threads" -c"$connections" -d2s "$@" "$url" >/dev/null
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$@" "$url" >"$work/$name.txt"
}
run upstream "http://127.0.0.1:$upstream_port/weather?city=x"
run nginx "http://127.0.0.1:$proxy_port/tool/weather?city=x"
run gateway "http://127.0.0.1:$gateway_port/tool/weather?city=x" -H "Authorization: $credential"
run challenge "http://127.0.0.1:$gateway_port/tool/weather?city=x"

python3 - "$work" "$seconds" "$connections" <<'PY'
import re, sys
work, seconds, connections = sys.argv[1], sys.argv[2], sys.argv[3]

def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

def parse(name):
    text = open(f"{work}/{name}.txt").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", text).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    total = int(re.search(r"(\d+) requests in", text).group(1))
    return rps, p50, p99, int(non2xx.group(1)) if non2xx else 0, errors.group(0) if errors else "", total

rows = [
    ("upstream", "(a) upstream alone (nginx, fixed 200)"),
    ("nginx", "(b) nginx reverse proxy -> upstream [baseline]"),
    ("gateway", "(c) l402 gateway, paid calls -> upstream"),
    ("challenge", "(d) l402 gateway, 402 challenges"),
]
results = {name: parse(name) for name, _ in rows}
print(f"\nGateway benchmark: wrk, {connections} connections, {seconds} s each, loopback, release build")
print(f"{'':50} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8}")
for name, label in rows:
    rps, p50, p99, non2xx, errors, _ = results[name]
    note = f"  ({non2xx} non-2xx)" if non2xx and name != "challenge" else ""
    note += f"  [{errors}]" if errors else ""
    print(f"{label:50} {rps:10.0f} {p50:8.2f} {p99:8.2f}{note}")
a, b, c, d = (results[n] for n in ("upstream", "nginx", "gateway", "challenge"))
print(f"\nc/b throughput ratio: {c[0] / b[0]:.2f} (target >= 0.50)")
print(f"latency added over the upstream alone: nginx p50 +{b[1] - a[1]:.2f} ms, p99 +{b[2] - a[2]:.2f} ms; "
      f"gateway p50 +{c[1] - a[1]:.2f} ms, p99 +{c[2] - a[2]:.2f} ms")
print(f"challenges: {d[0]:.0f} per second; {d[3]} of {d[5]} answers were non-2xx (402 expected for all)")
PY
