#!/usr/bin/env bash
# Where a request's CPU goes: the server's CPU time per request, read from /proc over a wrk run (the
# kernel's accounting of the server process alone, steadier than requests per second when other work
# shares the machine), a sampled profile of the gateway (perf, cpu-clock) grouped by module, and the
# system calls per request of nginx and of the gateway (strace -c -f over a run of their own, as
# tracing slows the server down; the counts per request do not change).
#   (b) nginx as a reverse proxy (one worker process, no master): the baseline,
#   (b2) a plain SwiftNIO reverse proxy (Benchmarks/BenchNIOProxy, no paywall): the floor under a fast
#        path of our own, i.e. what forwarding alone costs in Swift,
#   (c0) l402 serve answering its own health route (Hummingbird and the gateway's router, no upstream,
#        no paywall, no database),
#   (c) l402 serve forwarding paid calls with a multi-call token,
#   (d) l402 serve answering 402s with both offers, (d1) with the L402 offer alone.
# valgrind cannot run the gateway (its threads crash valgrind 3.19), and this VM has no hardware
# counters, so CPU time and cpu-clock samples are what can be counted.
#   BENCH_SECONDS=10 BENCH_CONNECTIONS=16 BENCH_TOP=20 Benchmarks/cpu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-16}
threads=${BENCH_THREADS:-2}
top=${BENCH_TOP:-20}
source Benchmarks/lib.sh
bench_need wrk nginx curl perf strace python3
l402=$(bench_l402)
nio_proxy=$(bench_build BenchNIOProxy)

upstream_port=$(free_port)
proxy_port=$(free_port)
gateway_port=$(free_port)
nio_proxy_port=$(free_port)
start_nginx "$(fixed_upstream "$upstream_port")"

# The proxy under test: an nginx of its own in one process, so its CPU time is all in one place.
start_nginx "$(reverse_proxy "$proxy_port" "$upstream_port")" proxy "master_process off; worker_processes 1;"
proxy_pid=${pids[-1]}
"$nio_proxy" "$nio_proxy_port" "$upstream_port" &
nio_proxy_pid=$!
pids+=("$nio_proxy_pid")

gateway_config "$gateway_port" "$work/data" >"$work/gateway.yaml"
"$l402" serve --config "$work/gateway.yaml" 2>"$work/gateway.log" &
gateway_pid=$!
pids+=("$gateway_pid")

wait_for "http://127.0.0.1:$upstream_port/" 200
wait_for "http://127.0.0.1:$proxy_port/tool/" 200
wait_for "http://127.0.0.1:$nio_proxy_port/tool/" 200
wait_for "http://127.0.0.1:$gateway_port/_l402/health" 200
credential=$(buy_credential "http://127.0.0.1:$gateway_port" /tool/)

# CPU seconds the process has used (user + system, every thread), from /proc/<pid>/stat.
cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); print ($12 + $13) / hz}' "/proc/$1/stat"
}

# measure NAME PID URL [wrk options…]: CPU time of PID per request over a wrk run, into $work/NAME.cpu.
measure() {
    local name=$1 pid=$2 url=$3 before after
    shift 3
    wrk -t"$threads" -c"$connections" -d2s "$@" "$url" >/dev/null
    before=$(cpu_seconds "$pid")
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$@" "$url" >"$work/$name.txt"
    after=$(cpu_seconds "$pid")
    echo "$before $after" >"$work/$name.cpu"
}

# profile NAME PID URL [wrk options…]: perf samples PID over a wrk run of its own into $work/NAME.perf
# (sampling with call graphs costs the server CPU, so it never overlaps a measurement).
profile() {
    local name=$1 pid=$2 url=$3 perf_pid
    shift 3
    perf record -q -e cpu-clock -F 1999 -g -p "$pid" -o "$work/$name.perf" -- sleep "$seconds" 2>/dev/null &
    perf_pid=$!
    wrk -t"$threads" -c"$connections" -d"${seconds}s" "$@" "$url" >/dev/null
    wait "$perf_pid"
}

measure nginx "$proxy_pid" "http://127.0.0.1:$proxy_port/tool/weather?city=x"
measure nio_proxy "$nio_proxy_pid" "http://127.0.0.1:$nio_proxy_port/tool/weather?city=x"
measure health "$gateway_pid" "http://127.0.0.1:$gateway_port/_l402/health"
measure gateway "$gateway_pid" "http://127.0.0.1:$gateway_port/tool/weather?city=x" -H "Authorization: $credential"
measure challenge "$gateway_pid" "http://127.0.0.1:$gateway_port/tool/weather?city=x"
measure challenge_l402 "$gateway_pid" "http://127.0.0.1:$gateway_port/tool/weather?city=x" -H "Accept-Payment: l402"
profile gateway "$gateway_pid" "http://127.0.0.1:$gateway_port/tool/weather?city=x" -H "Authorization: $credential"
profile challenge "$gateway_pid" "http://127.0.0.1:$gateway_port/tool/weather?city=x"

# syscalls NAME PID URL [wrk options…]: system calls of PID per request, into $work/NAME.strace and .txt.
syscalls() {
    local name=$1 pid=$2 url=$3 strace_pid
    shift 3
    strace -c -f -q -p "$pid" -o "$work/$name.strace" &
    strace_pid=$!
    sleep 1  # strace attaches to every thread
    wrk -t"$threads" -c"$connections" -d3s --latency "$@" "$url" >"$work/$name.straced.txt"
    kill -INT "$strace_pid"
    wait "$strace_pid" 2>/dev/null || true
}
syscalls nginx "$proxy_pid" "http://127.0.0.1:$proxy_port/tool/weather?city=x"
syscalls nio_proxy "$nio_proxy_pid" "http://127.0.0.1:$nio_proxy_port/tool/weather?city=x"
syscalls gateway "$gateway_pid" "http://127.0.0.1:$gateway_port/tool/weather?city=x" -H "Authorization: $credential"

for name in gateway challenge; do
    perf report -i "$work/$name.perf" --no-children --stdio --sort symbol -g none --percent-limit 0.01 2>/dev/null \
        >"$work/$name.symbols" || true
done

python3 - "$work" "$seconds" "$connections" "$top" <<'PY'
import sys
sys.path.insert(0, "Benchmarks")
from wrk_stats import parse
from profile_modules import report
work, seconds, connections, top = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

print(f"\nServer CPU time per request (wrk, {connections} connections, {seconds} s each, loopback, release build):")
print(f"{'':44} {'req/s':>8} {'CPU us/req':>11} {'x nginx':>8}")
baseline = None
for name, label in (("nginx", "(b) nginx reverse proxy [baseline]"),
                    ("nio_proxy", "(b2) SwiftNIO reverse proxy, no paywall"),
                    ("health", "(c0) l402 gateway, /_l402/health"), ("gateway", "(c) l402 gateway, paid calls"),
                    ("challenge", "(d) l402 gateway, 402 (L402 + Payment)"), ("challenge_l402", "(d1) l402 gateway, 402 (L402 only)")):
    rps, _, _, _, _, total = parse(f"{work}/{name}.txt")
    before, after = map(float, open(f"{work}/{name}.cpu").read().split())
    per_request = (after - before) / total * 1e6
    baseline = baseline or per_request
    print(f"{label:44} {rps:8.0f} {per_request:11.1f} {per_request / baseline:8.1f}")

for name, label in (("gateway", "(c) paid calls"), ("challenge", "(d) 402s with both offers")):
    print(f"\nWhere the gateway's CPU goes, {label} (perf cpu-clock samples, self time):")
    report(open(f"{work}/{name}.symbols").read(), top)

# strace -c's table: "% time  seconds  usecs/call  calls  errors  syscall"; the rows end at the dashes.
def syscall_counts(path):
    counts = {}
    for line in open(path).read().split("------", 2)[-1].splitlines():
        fields = line.split()
        if len(fields) >= 5 and fields[-1] != "total" and fields[3].isdigit():
            counts[fields[-1]] = counts.get(fields[-1], 0) + int(fields[3])
    return counts

print(f"\nSystem calls per request (strace -c -f, a 3 s run each):")
per_request = {}
for name in ("nginx", "nio_proxy", "gateway"):
    total = parse(f"{work}/{name}.straced.txt")[5]
    per_request[name] = {call: count / total for call, count in syscall_counts(f"{work}/{name}.strace").items()}
for name, label in (("nginx", "(b) nginx reverse proxy"), ("nio_proxy", "(b2) SwiftNIO reverse proxy"),
                    ("gateway", "(c) l402 gateway, paid calls")):
    calls = per_request[name]
    busiest = ", ".join(f"{call} {count:.1f}" for call, count in sorted(calls.items(), key=lambda c: -c[1])[:8])
    print(f"{label:30} {sum(calls.values()):6.1f} per request: {busiest}")
PY
