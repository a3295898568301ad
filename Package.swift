// swift-tools-version:6.2
import PackageDescription

// Module map and dependency rules: see ../shared/DESIGN.md ("Parts").
let package = Package(
    name: "swift-l402",
    platforms: [.macOS(.v15)],
    products: [
        // Codecs: no server, no HTTP client.
        .library(name: "Macaroons", targets: ["Macaroons"]),
        .library(name: "Bolt11", targets: ["Bolt11"]),
        // The node and wallet protocols and the embedded dev node; real nodes in LightningBackends.
        .library(name: "Lightning", targets: ["Lightning"]),
        .library(name: "LightningBackends", targets: ["LightningBackends"]),
        // The L402 protocol: identifiers, caveats, challenges, credentials, Minter, Authenticator, store protocols.
        .library(name: "L402", targets: ["L402"]),
        // The paywall core, and the same paywall as Hummingbird and Vapor middleware.
        .library(name: "L402Server", targets: ["L402Server"]),
        .library(name: "L402Hummingbird", targets: ["L402Hummingbird"]),
        .library(name: "L402Vapor", targets: ["L402Vapor"]),
        // The agent side: an auto-paying client within a budget.
        .library(name: "L402Client", targets: ["L402Client"]),
        .executable(name: "l402", targets: ["l402"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        // The official MCP Swift SDK: `l402 mcp`, the stdio MCP server for agents (only the l402 executable links it).
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1"),
        // `make docs`: DocC for the catalogs under Sources/*/*.docc (a plugin; nothing of it is linked).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // Hex and wire-tolerant base64, shared by every module that reads bytes off the wire.
        .target(name: "ByteEncoding"),
        .testTarget(name: "ByteEncodingTests", dependencies: ["ByteEncoding", "TestSupport"]),
        // Macaroons: HMAC chain, first-party caveats, V2 binary / V2 JSON / V1 codecs.
        .target(
            name: "Macaroons",
            dependencies: ["ByteEncoding", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "MacaroonsTests",
            dependencies: ["Macaroons", "ByteEncoding", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Peers"]  // harness sources for pymacaroons, go-macaroon and libmacaroons, built by the tests
        ),
        // libsecp256k1 from the system (Debian libsecp256k1-dev), found through pkg-config.
        .systemLibrary(
            name: "CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"]), .brew(["secp256k1"])]
        ),
        // glibc's allocator settings (mallopt), which the Glibc module leaves out; `l402 serve` tunes them.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // BOLT-11 invoices: bech32, the invoice model, decode with signature recovery, encode with signing.
        .target(
            name: "Bolt11",
            dependencies: ["ByteEncoding", "CSecp256k1", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "Bolt11Tests",
            dependencies: ["Bolt11", "ByteEncoding", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The Lightning node and wallet protocols, their value types and the embedded dev node: no HTTP client.
        .target(
            name: "Lightning",
            dependencies: ["Bolt11", "ByteEncoding", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Real nodes and wallets behind those protocols: LND over REST (and the other backends beside it),
        // and Nostr Wallet Connect (NIP-47) over a relay's WebSocket.
        .target(
            name: "LightningBackends",
            dependencies: [
                "Lightning", "Bolt11", "ByteEncoding", "CSecp256k1",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "LightningBackendsTests",
            dependencies: [
                "LightningBackends", "Lightning", "Bolt11", "ByteEncoding", "TestSupport", "LNDStandInSupport", "BackendStandInSupport",
                "NWCStandInSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["Vectors"]  // published test vectors (NIP-44, BIP-340), read by the tests; see Vectors/README.md
        ),
        .testTarget(
            name: "LightningTests",
            dependencies: [
                "Lightning", "Bolt11", "ByteEncoding", "TestSupport", "LightningTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // A stand-in for LND's REST API (HTTPS, lnd's JSON shapes and rules), for the Lightning and client tests.
        .target(
            name: "LNDStandInSupport",
            dependencies: [
                "Bolt11", "ByteEncoding", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/LNDStandIn"
        ),
        // Stand-ins for phoenixd's HTTP API, Core Lightning's clnrest and LNbits (their shapes, status codes and
        // errors), sharing one in-process "network" so one stand-in's payment settles another's invoice.
        .target(
            name: "BackendStandInSupport",
            dependencies: [
                "Bolt11", "ByteEncoding", "TestSupport", "LNDStandInSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/BackendStandIns"
        ),
        // Nostr Wallet Connect peers for the tests: the PyPI relay `nostr-relay` run on loopback, and a
        // wallet-service stand-in that decrypts NIP-47 requests and pays through any `Wallet` (the gateway's dev node).
        .target(
            name: "NWCStandInSupport",
            dependencies: [
                "LightningBackends", "Lightning", "Bolt11", "ByteEncoding", "TestSupport",
            ],
            path: "Tests/NWCStandIn"
        ),
        // The table of malformed `Payment` credentials, refused alike by the verifier's tests and the gateway's.
        .target(name: "PaymentTestSupport", dependencies: ["L402", "ByteEncoding"], path: "Tests/PaymentTestSupport"),
        // The DevInvoiceStore contract as reusable checks, for every store implementation's tests.
        .target(name: "LightningTestSupport", dependencies: ["Lightning"], path: "Tests/LightningTestSupport"),
        // The paywall core, free of any web framework: price lookup, minting, verification, free calls,
        // the challenge rate limit, reservations, metering and metrics. The gateway and the middlewares use it.
        .target(
            name: "L402Server",
            dependencies: [
                "L402", "Lightning", "Storage", "Macaroons", "ByteEncoding",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The paywall as Hummingbird 2 middleware: a price on any route or route group.
        .target(
            name: "L402Hummingbird",
            dependencies: [
                "L402Server",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The paywall as Vapor 4 middleware, with the verified token on `Request`.
        .target(
            name: "L402Vapor",
            dependencies: [
                "L402Server",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Example apps (Examples/README.md): each charges for two routes with the dev node and SQLite.
        .executableTarget(
            name: "HummingbirdPaywallExample",
            dependencies: ["L402Hummingbird", "L402Server", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Examples/HummingbirdApp"
        ),
        .executableTarget(
            name: "VaporPaywallExample",
            dependencies: ["L402Vapor", "L402Server", .product(name: "Vapor", package: "vapor")],
            path: "Examples/VaporApp"
        ),
        .testTarget(
            name: "L402MiddlewareTests",
            dependencies: [
                "L402Server", "L402Hummingbird", "L402Vapor",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ExamplesTests",
            dependencies: [
                "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Peers"]  // the l402-requests driver (Python)
        ),
        // The admin API's wire types (tools, ledger pages, usage, errors, the admin token file), shared by the
        // gateway that answers and the `l402` commands that ask: no server in it.
        .target(name: "L402Admin", dependencies: ["L402"]),
        // The paying reverse proxy: YAML config, routing `/<tool>/…` to upstreams, 402 challenges, metering.
        .target(
            name: "Gateway",
            dependencies: [
                "L402Server", "L402Hummingbird", "L402", "L402Admin", "Storage", "Lightning", "LightningBackends", "ByteEncoding",
                "CMalloc",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "L402Server", "L402", "L402Admin", "Storage", "Lightning", "Macaroons", "ByteEncoding", "TestSupport",
                "PaymentTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Peers"]  // the headless-browser driver (Python + Selenium) the dashboard test runs
        ),
        // Benchmark: macaroon verification speed (Benchmarks/macaroons.sh compares it with the other libraries).
        .executableTarget(name: "BenchMacaroons", dependencies: ["Macaroons", "ByteEncoding"], path: "Benchmarks/BenchMacaroons"),
        // Benchmark: invoice encode/decode beside raw libsecp256k1 sign/recover (Benchmarks/run.sh).
        .executableTarget(
            name: "BenchBolt11",
            dependencies: ["Bolt11", "CSecp256k1", .product(name: "Crypto", package: "swift-crypto")],
            path: "Benchmarks/BenchBolt11"
        ),
        // Benchmark baseline: a plain SwiftNIO reverse proxy, the floor under a Swift fast path (Benchmarks/cpu.sh).
        .executableTarget(
            name: "BenchNIOProxy",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/BenchNIOProxy"
        ),
        // The L402 protocol: identifier, caveat rules, challenge and credential formats, Minter, Authenticator.
        .target(
            name: "L402",
            dependencies: ["Macaroons", "Lightning", "Bolt11", "ByteEncoding", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "L402Tests",
            dependencies: ["L402", "Macaroons", "Lightning", "Bolt11", "ByteEncoding", "TestSupport", "PaymentTestSupport", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Vectors"]  // published Payment-scheme test vectors (JSON), read by the tests; see Vectors/README.md
        ),
        // Persistence behind the L402/Lightning store protocols: SQLite via GRDB (the default) and PostgreSQL via postgres-nio.
        .target(
            name: "Storage",
            dependencies: [
                "L402", "Lightning",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "L402", "Lightning", "LightningTestSupport", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // The agent side: auto-paying HTTP client, budgets, the on-disk token cache, wallets, delegation.
        .target(
            name: "L402Client",
            dependencies: [
                "L402", "Macaroons", "Bolt11", "ByteEncoding", "Lightning",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "L402ClientTests",
            dependencies: [
                "L402Client", "L402", "Macaroons", "Bolt11", "Lightning", "LightningBackends", "ByteEncoding", "TestSupport", "LNDStandInSupport",
                "BackendStandInSupport", "NWCStandInSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Peers"]  // pympp_peer.py, the Python peer the Payment-scheme interop tests run
        ),
        // Helpers shared by test targets: running real peers and the built `l402` binary, the test HTTP servers' handler,
        // the PostgreSQL test cluster's URL and a TCP relay that can cut a connection.
        .target(
            name: "TestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/TestSupport"
        ),
        // The documentation's Swift snippets (README.md, docs/*.md), compiled so they cannot rot.
        .target(
            name: "DocSnippets",
            dependencies: [
                "L402Client", "L402", "Macaroons", "Bolt11", "Lightning", "L402Server", "L402Hummingbird", "L402Vapor",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Vapor", package: "vapor"),
            ],
            path: "Examples/Snippets",
            exclude: ["README.md"]
        ),
        // Checks every code block of README.md and docs/*.md: Swift against Examples/, YAML with the config loader,
        // shell blocks run against the built `l402` and a demo gateway.
        .testTarget(
            name: "DocsTests",
            dependencies: [
                "DocSnippets", "Gateway", "L402", "Macaroons", "Bolt11", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "l402",
            dependencies: [
                "Gateway", "L402Admin", "L402Client", "Lightning", "LightningBackends",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MCP", package: "swift-sdk"),
                "Bolt11",
                "ByteEncoding",
                "Macaroons",
            ]
        ),
    ]
)

// libFuzzer targets (Fuzz/, run by `make fuzz`; docs/fuzzing.md). Declared only when L402_FUZZ=1, so a plain
// `swift build` never sees them: they are built with `-sanitize=fuzzer,address` in .build-fuzz/ alone.
if Context.environment["L402_FUZZ"] == "1" {
    package.targets.append(
        .target(name: "FuzzDriver", path: "Fuzz/Driver", swiftSettings: [.enableExperimentalFeature("Extern")])
    )
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("Credential", ["L402"]),
        ("Challenge", ["L402", "L402Client"]),
        ("MacaroonV1", ["Macaroons"]),
        ("MacaroonV2", ["Macaroons"]),
        ("MacaroonJSON", ["Macaroons"]),
        ("Bolt11", ["Bolt11"]),
        ("ByteEncoding", ["ByteEncoding"]),
        ("Configuration", ["Gateway"]),
        ("AdminTool", ["Gateway", "L402Admin"]),
        ("LNDWire", ["LightningBackends"]),
        ("RequestPath", ["L402", "L402Server"]),
    ]
    for (name, dependencies) in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: "Fuzz\(name)", dependencies: ["FuzzDriver"] + dependencies,
                path: "Fuzz/Targets", exclude: fuzzTargets.map { "\($0.name).swift" }.filter { $0 != "\(name).swift" },
                sources: ["\(name).swift"]
            )
        )
    }
}
