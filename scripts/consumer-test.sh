#!/usr/bin/env bash
# A package outside this repository, in a temporary folder, that depends on it by path:
#  1. `ClientOnly` imports Macaroons, Bolt11 and L402Client. Built first, alone, it must compile no server
#     module (no Hummingbird, Vapor, GRDB, PostgresNIO, Prometheus, Yams, L402Server, Storage, Gateway).
#  2. `EveryProduct` imports every library product and names a type of each; it must build and run.
# The consumer's build folders are $CONSUMER_SCRATCH-client (ClientOnly's, only ever used for it, so any server
# module in it came from that build) and $CONSUMER_SCRATCH (EveryProduct's). The default, .build-consumer in this
# repository, is kept between runs so a second run rebuilds only what changed; a first run builds every dependency.
# Usage: scripts/consumer-test.sh        (docs/testing.md, "The consumer package")
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=${CONSUMER_SCRATCH:-$repo/.build-consumer}
consumer=$(mktemp -d "${TMPDIR:-/tmp}/l402-consumer.XXXXXX")
trap 'rm -rf "$consumer"' EXIT

mkdir -p "$consumer/Sources/ClientOnly" "$consumer/Sources/EveryProduct"
cat > "$consumer/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "l402-consumer",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "swift-l402", path: "$repo")],
    targets: [
        .executableTarget(
            name: "ClientOnly",
            dependencies: [
                .product(name: "Macaroons", package: "swift-l402"),
                .product(name: "Bolt11", package: "swift-l402"),
                .product(name: "L402Client", package: "swift-l402"),
            ]
        ),
        .executableTarget(
            name: "EveryProduct",
            dependencies: [
                "Macaroons", "Bolt11", "Lightning", "LightningBackends", "L402", "L402Server", "L402Hummingbird",
                "L402Vapor", "L402Client",
            ].map { .product(name: \$0, package: "swift-l402") }
        ),
    ]
)
SWIFT
cat > "$consumer/Sources/ClientOnly/main.swift" <<'SWIFT'
import Bolt11
import L402Client
import Macaroons

let macaroon = Macaroon(rootKey: Array(repeating: 7, count: 32), identifier: Array("consumer".utf8))
print("ClientOnly:", macaroon.addingFirstPartyCaveat("tool=echo").caveats.count, Network.self, BudgetLimits(totalSats: 10))
SWIFT
cat > "$consumer/Sources/EveryProduct/main.swift" <<'SWIFT'
import Bolt11
import L402
import L402Client
import L402Hummingbird
import L402Server
import L402Vapor
import Lightning
import LightningBackends
import Macaroons

let types: [Any.Type] = [
    Macaroon.self, Network.self, DevNode.self, LNDConfiguration.self, Minter.self, PaywallDatabase.self,
    BasicL402RequestContext.self, L402VaporMiddleware.self, BudgetLimits.self,
]
print("EveryProduct:", types.count, "types from 9 products")
SWIFT

started=$(date +%s)
swift build --package-path "$consumer" --scratch-path "$scratch-client" --product ClientOnly
modules=$(ls "$scratch-client/debug/Modules")
server=$(grep -xE '(Hummingbird|HummingbirdCore|Vapor|GRDB|PostgresNIO|Prometheus|Yams|L402Server|Storage|Gateway|L402Hummingbird|L402Vapor)\.swiftmodule' <<<"$modules" || true)
if [ -n "$server" ]; then
    echo "consumer-test: building ClientOnly (Macaroons, Bolt11, L402Client) compiled server modules:" $server >&2
    exit 1
fi
grep -qx 'L402Client.swiftmodule' <<<"$modules" || { echo "consumer-test: no L402Client module in $scratch-client/debug/Modules" >&2; exit 1; }
"$scratch-client/debug/ClientOnly"
client_done=$(date +%s)
swift build --package-path "$consumer" --scratch-path "$scratch" --product EveryProduct
"$scratch/debug/EveryProduct"
echo "consumer-test: passed (ClientOnly $((client_done - started)) s, EveryProduct $(($(date +%s) - client_done)) s more)"
