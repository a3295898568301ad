import AsyncHTTPClient
import Foundation
import Storage
import Synchronization
import TestSupport
import Testing

/// Issue 15, bug 3: a gateway SIGKILLed with paid calls in flight loses none of them. `N` one-call
/// tokens are paid and sent at once; the upstream answers half and holds the rest (in flight) until
/// the gateway is killed. Restarted with a short upstream timeout (so a short lease lifetime), the
/// gateway gives the dead calls' leases back, and every token is served exactly once in total, with
/// exactly one paid ledger row each.
@Suite(.serialized) struct KilledGatewayTests {
    static let tokens = 40
    static let path = "/once/call"

    enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case sqlite, postgres
        static var allCases: [Backend] { TestPostgres.shouldRun ? [.sqlite, .postgres] : [.sqlite] }
        var testDescription: String { rawValue }
    }

    @Test(arguments: Backend.allCases)
    func everyPaidCallIsServedExactlyOnceAcrossAKill(_ backend: Backend) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("l402-killed-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let databaseURL = backend == .postgres ? try await TestPostgres.freshDatabase() : nil
        let upstream = HeldUpstream(answered: Self.tokens / 2)
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 128)))
        do {
            try await RunningServer.with(upstream) { port in
                try await Self.run(root: root, databaseURL: databaseURL, upstreamPort: port, upstream: upstream, client: client)
            }
        } catch {
            upstream.open()
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private static func run(root: String, databaseURL: String?, upstreamPort: Int, upstream: HeldUpstream, client: HTTPClient) async throws {
        defer { upstream.open() }
        let patient = try await Gateway.start(root: root, databaseURL: databaseURL, upstreamPort: upstreamPort, upstreamTimeout: 600, client: client)
        let tokens = try await PaidToken.buy(Self.tokens, path: path, from: [patient.endpoint])

        // Every token at once; the upstream answers half of them and holds the rest.
        let served = ServedTokens()
        let requests = Task {
            await withTaskGroup(of: Void.self) { group in
                for index in tokens.indices {
                    group.addTask {
                        let answer = try? await patient.endpoint.send(.GET, path, authorization: tokens[index].credential)
                        if answer?.status == 200 { served.insert(index) }
                    }
                }
            }
        }
        let inFlight = try await eventually(seconds: 120) {
            served.all.count == Self.tokens / 2 && upstream.held > 0
        }
        #expect(inFlight, "answered \(served.all.count), held \(upstream.held)")
        kill(patient.process.processIdentifier, SIGKILL)
        _ = try await patient.process.waitForExit()
        await requests.value
        let before = served.all
        #expect(before.count == Self.tokens / 2, "only the upstream's answers got through")
        upstream.open()

        // Restarted on the same state with a 1 s upstream timeout: leases live 1 s + the margin.
        let restarted = try await Gateway.start(root: root, databaseURL: databaseURL, upstreamPort: upstreamPort, upstreamTimeout: 1, client: client)
        // 402 token_spent while a dead call's lease lasts; 200 once it is given back. One deadline for all.
        var after: Set<Int> = []
        let unserved = Set(tokens.indices).subtracting(before)
        _ = try await eventually(seconds: 120) {
            for index in unserved.subtracting(after) {
                let retried = try await restarted.endpoint.send(.GET, path, authorization: tokens[index].credential)
                if retried.status == 200 { after.insert(index) }
            }
            return after == unserved
        }
        #expect(after == unserved, "paid, never served, and still refused: \(unserved.subtracting(after).sorted())")
        for index in before {
            let replay = try await restarted.endpoint.send(.GET, path, authorization: tokens[index].credential)
            #expect(replay.status == 402, "token \(index) was served before the kill and again after it")
        }
        #expect(before.count + after.count == Self.tokens && before.isDisjoint(with: after))

        let rows = try await paidRowsPerToken(root: root, databaseURL: databaseURL)
        #expect(rows.count == Self.tokens && rows.values.allSatisfy { $0 == 1 }, "one paid row per token: \(rows)")
        #expect(Set(rows.keys) == Set(tokens.map(\.tokenID)))
        try await restarted.process.terminate()
    }

    /// token id (hex) → paid rows, from the gateway's database.
    private static func paidRowsPerToken(root: String, databaseURL: String?) async throws -> [String: Int] {
        if let databaseURL { return try await SharedDatabaseGateways.paidCallsPerToken(tool: "once", databaseURL: databaseURL) }
        let store = try SQLiteStore(path: root + "/data/l402.sqlite")
        let rows = try await store.invocations(tool: "once", since: nil, until: nil, limit: 10_000, offset: 0)
        return Dictionary(grouping: rows.filter { $0.outcome == "paid" }, by: { $0.tokenID ?? "" }).mapValues(\.count)
    }

    /// One `l402 serve` process on `root/data` (SQLite there, or `databaseURL`).
    private struct Gateway {
        let process: RunningProcess
        let endpoint: SharedDatabaseGateways.Member

        static func start(root: String, databaseURL: String?, upstreamPort: Int, upstreamTimeout: Int, client: HTTPClient) async throws -> Gateway {
            let config = root + "/gateway-\(upstreamTimeout).yaml"
            try """
                upstream_timeout: \(upstreamTimeout)
                challenge_rate_limit:
                  per_minute: 0
                tools:
                  - slug: once
                    upstream: http://127.0.0.1:\(upstreamPort)
                    price_sats: 3
                    calls: 1
                """.write(toFile: config, atomically: true, encoding: .utf8)
            let process = try RunningProcess(
                try Subprocess.l402Binary, ["serve", "--config", config, "--port", "0", "--data-dir", root + "/data"],
                environment: databaseURL.map { ["DATABASE_URL": $0] } ?? [:])
            let port = try await process.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
            return Gateway(process: process, endpoint: SharedDatabaseGateways.Member(base: "http://127.0.0.1:\(port)", httpClient: client))
        }
    }
}

/// The tokens whose call was answered 200, collected from concurrent requests.
private final class ServedTokens: Sendable {
    private let tokens = Mutex<Set<Int>>([])
    func insert(_ token: Int) { _ = tokens.withLock { $0.insert(token) } }
    var all: Set<Int> { tokens.withLock { $0 } }
}
