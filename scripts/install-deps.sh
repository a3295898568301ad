#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks, per purpose, and nothing it already has.
#   scripts/install-deps.sh build   # to compile and run the gateway
#   scripts/install-deps.sh test    # + the real peers the interop tests talk to
#   scripts/install-deps.sh bench   # + load generators and the baselines benchmarks compare against
set -euo pipefail

build_apt=(pkg-config libsecp256k1-dev libsqlite3-dev)
test_apt=(curl openssl golang-go golang-gopkg-macaroon.v2-dev libmacaroons-dev postgresql
          chromium chromium-driver python3-selenium   # the dashboard test drives headless Chromium
          python3-venv)                               # LNbits gets a virtual environment of its own
test_pip=(pymacaroons "bitstring<5" bolt11 l402-requests "pympp==0.16.0"
          nostr-relay       # the Nostr relay the NWC tests run on loopback (brings aionostr, coincurve, cryptography)
          "mcp>=1.20,<2")   # the official MCP SDK (client and FastMCP) for the MCP tests
bench_apt=(wrk nginx-light linux-perf strace)  # perf and strace: Benchmarks/cpu.sh

missing_apt() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
    done
}

install_apt() {
    local missing
    missing=$(missing_apt "$@")
    [ -z "$missing" ] && return 0
    echo "install-deps: apt-get install $missing"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

install_pip() {
    local need=0 spec name
    for spec in "$@"; do
        name=${spec%%[<>=]*}
        python3 -m pip show -q "$name" >/dev/null 2>&1 || need=1
    done
    [ "$need" -eq 0 ] && return 0
    echo "install-deps: pip install $*"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "$@"
}

# A real LNbits (FakeWallet funding source) for the LNbits backend's peer test. It pins pydantic 1
# while the MCP SDK needs 2, so it lives in its own virtual environment (LNbitsPeerTests finds it there).
lnbits_venv=${L402_LNBITS_VENV:-$HOME/.cache/l402/lnbits-venv}
install_lnbits() {
    [ -x "$lnbits_venv/bin/lnbits" ] && return 0
    echo "install-deps: lnbits into $lnbits_venv"
    python3 -m venv "$lnbits_venv"
    "$lnbits_venv/bin/pip" install -q --disable-pip-version-check "lnbits==1.6.2" "bitstring<5"
}

case "${1:-build}" in
    build) install_apt "${build_apt[@]}" ;;
    test)  install_apt "${build_apt[@]}" "${test_apt[@]}"; install_pip "${test_pip[@]}"; install_lnbits ;;
    bench) install_apt "${build_apt[@]}" "${test_apt[@]}" "${bench_apt[@]}"; install_pip "${test_pip[@]}"; install_lnbits ;;
    *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac
