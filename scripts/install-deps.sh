#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks, per purpose, and nothing it already has.
#   scripts/install-deps.sh build   # to compile and run the gateway
#   scripts/install-deps.sh test    # + the real peers the interop tests talk to
#   scripts/install-deps.sh bench   # + load generators and the baselines benchmarks compare against
set -euo pipefail

build_apt=(pkg-config libsecp256k1-dev libsqlite3-dev)
test_apt=(curl openssl golang-go golang-gopkg-macaroon.v2-dev libmacaroons-dev postgresql
          chromium chromium-driver python3-selenium)  # the dashboard test drives headless Chromium
test_pip=(pymacaroons "bitstring<5" bolt11 "mcp>=1.20,<2")  # mcp: the official MCP SDK (client and FastMCP) for the MCP tests
bench_apt=(wrk nginx-light)

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

case "${1:-build}" in
    build) install_apt "${build_apt[@]}" ;;
    test)  install_apt "${build_apt[@]}" "${test_apt[@]}"; install_pip "${test_pip[@]}" ;;
    bench) install_apt "${build_apt[@]}" "${test_apt[@]}" "${bench_apt[@]}"; install_pip "${test_pip[@]}" ;;
    *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac
