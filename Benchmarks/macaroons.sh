#!/usr/bin/env bash
# Macaroon verification speed: swift-l402 (release build) beside pymacaroons, go-macaroon and
# libmacaroons, measured in the same run on the same typical L402 macaroon (66-byte identifier,
# 4 first-party caveats). Each library decodes the base64 token and verifies it, per operation.
# The peers are the interop-test harnesses in Tests/MacaroonsTests/Peers.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${BENCH_SECONDS:-3}
peers=Tests/MacaroonsTests/Peers
source Benchmarks/lib.sh  # sets $work, removed on exit
bench=$(bench_build BenchMacaroons)
GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off go build -o "$work/go_peer" "$peers/go_macaroon_peer.go"
cc -O2 -o "$work/c_peer" "$peers/libmacaroons_peer.c" -lmacaroons

"$bench" tokens >"$work/tokens"
key=$(awk '$1 == "key" {print $2}' "$work/tokens")
v2=$(awk '$1 == "v2" {print $2}' "$work/tokens")
v1=$(awk '$1 == "v1" {print $2}' "$work/tokens")
request="[{\"op\": \"bench\", \"key_hex\": \"$key\", \"token\": \"$v2\", \"seconds\": $seconds}]"

"$bench" run "$key" "$v2" "$seconds" >"$work/ours"
python3 "$peers/pymacaroons_peer.py" <<<"$request" >"$work/pymacaroons"
"$work/go_peer" <<<"$request" >"$work/go"
# libmacaroons 0.3 reads V1 only; the same macaroon in V1.
"$work/c_peer" bench "$key" "$v1" 300000 >"$work/c"

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
ours = dict(line.split() for line in open(f"{work}/ours"))
ours_rows = [
    ("swift-l402, decode + verify (V2)", float(ours["decode_verify"])),
    ("swift-l402, verify only (decoded once)", float(ours["verify"])),
]
baselines = [
    ("pymacaroons, decode + verify (V2)", json.load(open(f"{work}/pymacaroons"))[0]["ops_per_second"]),
    ("go-macaroon, decode + verify (V2)", json.load(open(f"{work}/go"))[0]["ops_per_second"]),
    ("libmacaroons (C), decode + verify (V1)", float(open(f"{work}/c").read().split()[1])),
]
mine = ours_rows[0][1]
print("Macaroon verification, typical L402 macaroon (66-byte identifier, 4 caveats), ops/s")
for name, rate in ours_rows:
    print(f"  {name:<42} {rate:>12,.0f}")
for name, rate in baselines:
    print(f"  {name:<42} {rate:>12,.0f}   ours (decode + verify) / this = {mine / rate:.2f}")
py = baselines[0][1]
print(f"  target >= 20x pymacaroons: {'met' if mine >= 20 * py else 'NOT met'} ({mine / py:.1f}x)")
PY
