# Helpers shared by the benchmark scripts: `source "$(dirname "$0")/lib.sh"` after `set -euo pipefail`.
# Sets $work (a temporary directory) and stops what the script started, by pid, on exit.
work=$(mktemp -d)
pids=()
exit_hooks=()
bench_cleanup() {
    local hook pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for hook in "${exit_hooks[@]}"; do eval "$hook" || true; done
    rm -rf "$work"
}
trap bench_cleanup EXIT

# Fails with the install hint unless every tool is installed.
bench_need() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] \
            || { echo "$(basename "$0"): $tool missing; run scripts/install-deps.sh bench" >&2; exit 1; }
    done
}

# Builds a release product of this package and prints its path. A failed build stops the benchmark
# loudly (with the compiler's errors), so a stale binary is never measured. BENCH_SCRATCH names
# another build folder (e.g. .build-release, so the release build does not wait for a debug one).
bench_build() {
    local log scratch=()
    [ -n "${BENCH_SCRATCH:-}" ] && scratch=(--scratch-path "$BENCH_SCRATCH")
    log=$(mktemp)
    if ! swift build -c release "${scratch[@]}" --product "$1" >"$log" 2>&1; then
        grep -E "error" "$log" >&2 || tail -20 "$log" >&2
        rm -f "$log"
        echo "$(basename "$0"): the release build of $1 failed; nothing was measured" >&2
        exit 1
    fi
    rm -f "$log"
    echo "$(swift build -c release "${scratch[@]}" --show-bin-path)/$1"
}

# Builds the release `l402` and prints its path; BENCH_L402 names a binary to measure instead (an A/B
# of two builds in one session).
bench_l402() {
    if [ -n "${BENCH_L402:-}" ]; then echo "$BENCH_L402"; else bench_build l402; fi
}

# A free loopback port (the kernel picks it; we release it at once and use it right after).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Waits until `url` answers `status`.
wait_for() {
    for _ in $(seq 1 400); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = "$2" ] && return 0
        sleep 0.05
    done
    echo "$(basename "$0"): $1 never answered $2" >&2
    exit 1
}

# Starts nginx in the background with `servers` (nginx `http` block content) and the usual plumbing in
# $work/<folder> (default nginx); `main` replaces the top-level process settings (default: a worker per
# core under a master). Its pid is the last of $pids.
start_nginx() {
    local servers=$1 folder=${2:-nginx} main=${3:-worker_processes auto;} nginx_bin
    nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
    mkdir -p "$work/$folder"
    cat >"$work/$folder/nginx.conf" <<CONF
$main
pid $work/$folder/nginx.pid;
error_log $work/$folder/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/$folder/body;
    proxy_temp_path $work/$folder/proxy;
    fastcgi_temp_path $work/$folder/fastcgi;
    uwsgi_temp_path $work/$folder/uwsgi;
    scgi_temp_path $work/$folder/scgi;
    keepalive_requests 1000000;
$servers
}
CONF
    "$nginx_bin" -p "$work/$folder" -c "$work/$folder/nginx.conf" -g 'daemon off;' &
    pids+=($!)
}

# nginx as the reverse-proxy baseline on `port` in front of the upstream on `upstream_port`, tuned
# as one would in production: `/tool/…` goes to the upstream's `/…` over kept-alive connections.
reverse_proxy() {
    local port=$1 upstream_port=$2
    cat <<CONF
    upstream tool { server 127.0.0.1:$upstream_port; keepalive 256; }
    server {
        listen 127.0.0.1:$port;
        location /tool/ {
            proxy_pass http://tool/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
        }
    }
CONF
}

# An nginx `server` answering a fixed small JSON 200 on `port`: the upstream tool of the benchmarks.
fixed_upstream() {
    echo "server { listen 127.0.0.1:$1; location / { default_type application/json; return 200 '{\"ok\":true,\"weather\":\"sunny\"}'; } }"
}

# The YAML of a benchmark gateway listening on `port`, its data in `dir`, its operator listener on
# `admin` (default: any free port), no challenge rate limit, and the tool `tool`: 10 sats for a billion
# calls to the upstream on $upstream_port. A script appends tools of its own after it.
gateway_config() {
    local port=$1 dir=$2 admin=${3:-127.0.0.1:0}
    cat <<CONF
listen: 127.0.0.1:$port
admin_listen: $admin
data_dir: $dir
upstream_pool_size: 256
challenge_rate_limit:
  per_minute: 0  # challenges are measured from one client
tools:
  - slug: tool
    upstream: http://127.0.0.1:$upstream_port
    price_sats: 10
    calls: 1000000000
    description: benchmark tool
CONF
}

# Buys a token at the gateway `base` for `path` (challenge, dev pay) and prints its credential header value;
# fails unless a call with it answers 200.
buy_credential() {
    local base=$1 path=$2 challenge macaroon invoice preimage credential
    challenge=$(curl -s -H 'Accept-Payment: l402' "$base$path")  # the L402 offer only: its fields are the body's top level
    macaroon=$(sed -n 's/.*"macaroon":"\([^"]*\)".*/\1/p' <<<"$challenge")
    invoice=$(sed -n 's/.*"invoice":"\([^"]*\)".*/\1/p' <<<"$challenge")
    preimage=$(curl -s -X POST -d "{\"invoice\":\"$invoice\"}" "$base/_l402/dev/pay" | sed -n 's/.*"preimage":"\([^"]*\)".*/\1/p')
    credential="L402 $macaroon:$preimage"
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $credential" "$base$path")" = 200 ] \
        || { echo "$(basename "$0"): a paid call at $base$path did not answer 200" >&2; exit 1; }
    echo "$credential"
}

# Runs wrk into $work/<name>.txt after a short warm-up (so pools and caches are filled): name, url, wrk options…
run_wrk() {
    local name=$1 url=$2
    shift 2
    wrk -t"$threads" -c"$connections" -d2s "$@" "$url" >/dev/null
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$@" "$url" >"$work/$name.txt"
}
