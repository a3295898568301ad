import Foundation
import GRDB
import L402
import PostgresNIO
import TestSupport
import Testing

@testable import Storage

/// The usage rollup (issue 16) always equals the ledger's own sums: after rows of both schemes, free
/// calls, errors, MCP calls, duplicates and concurrent writers on two stores of one database, for any
/// bounds, and right after the migration that fills it from an existing ledger.
@Suite struct UsageRollupTests {
    /// Rows written concurrently through two stores on one database, each row's record repeated (and
    /// some raced from both stores), plus paid calls committed concurrently, some twice.
    @Test(arguments: StoreKind.allCases)
    func theRollupEqualsTheLedgersSumsUnderConcurrency(_ kind: StoreKind) async throws {
        let (first, second) = try kind.makeTwoOnOneDatabase()
        let rows = sampleRows()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, row) in rows.enumerated() {
                group.addTask { try await (index.isMultiple(of: 2) ? first : second).record(row) }
                if index.isMultiple(of: 3) { group.addTask { try await (index.isMultiple(of: 2) ? second : first).record(row) } }
            }
            let token = try await paidToken(in: first, purchase: samplePurchase)
            for index in 0..<samplePurchase.calls {
                group.addTask {
                    let store = index.isMultiple(of: 2) ? first : second
                    let lease = try #require(try await store.reserveCall(for: token, limit: samplePurchase.calls, takenAt: Date()))
                    var row = paidRow(token)
                    row.scheme = index.isMultiple(of: 2) ? Invocation.Scheme.l402 : Invocation.Scheme.payment
                    let once = try await store.commitCall(lease, purchase: samplePurchase, invocation: row)
                    let twice = try await (index.isMultiple(of: 2) ? second : first).commitCall(lease, purchase: samplePurchase, invocation: row)
                    #expect(once.sats > 0 && twice == .alreadyRecorded)
                }
            }
            try await group.waitForAll()
        }
        let ledger = try await first.invocations(tool: nil, since: nil, until: nil, limit: 10_000, offset: 0)
        #expect(ledger.count == rows.count + samplePurchase.calls)
        for store in [first, second] {
            #expect(try await store.dailyUsage(tool: nil, since: nil, until: nil) == ledgerSums(ledger))
            #expect(try await store.dailyUsage(tool: "search", since: nil, until: nil) == ledgerSums(ledger.filter { $0.tool == "search" }))
            #expect(try await store.mcpToolUsage(since: nil, until: nil) == ledgerMCPSums(ledger))
        }
        await kind.shutDown(first, second)
    }

    /// Bounds that are not midnights read the partial days from the ledger and the whole days from the
    /// rollup: the figures are the ledger's sums for exactly `[since, until)`.
    @Test(arguments: StoreKind.allCases)
    func anyBoundsGiveTheLedgersSums(_ kind: StoreKind) async throws {
        let store = try kind.make()
        for row in sampleRows() { try await store.record(row) }
        let ledger = try await store.invocations(tool: nil, since: nil, until: nil, limit: 10_000, offset: 0)
        let hour = 3_600.0
        let bounds: [(Date?, Date?)] = [
            (day0, nil), (nil, day0.addingTimeInterval(24 * hour)), (day0.addingTimeInterval(5 * hour), nil),
            (day0.addingTimeInterval(5 * hour), day0.addingTimeInterval(53 * hour)),
            (day0.addingTimeInterval(-hour), day0.addingTimeInterval(hour)),
            (day0.addingTimeInterval(25 * hour), day0.addingTimeInterval(26 * hour)),
            (day0.addingTimeInterval(24 * hour), day0.addingTimeInterval(30 * hour)),
            (day0.addingTimeInterval(7 * hour), day0.addingTimeInterval(48 * hour)),
        ]
        for (since, until) in bounds {
            let rows = ledger.filter { row in since.map { row.time >= $0 } ?? true && until.map { row.time < $0 } ?? true }
            #expect(try await store.dailyUsage(tool: nil, since: since, until: until) == ledgerSums(rows), "\(String(describing: since)) \(String(describing: until))")
            #expect(try await store.mcpToolUsage(since: since, until: until) == ledgerMCPSums(rows))
        }
    }

    /// A ledger written before the rollup existed (schema 7) is summed into it by the migration.
    @Test(arguments: StoreKind.allCases)
    func theMigrationFillsTheRollupFromTheLedger(_ kind: StoreKind) async throws {
        let store: any PaywallStore
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-rollup-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("gateway.sqlite").path
            let old = try DatabaseQueue(path: path)
            try SQLiteSchema.migrator.migrate(old, upTo: "v7-tool-schemes")
            try await old.write { db in try db.execute(sql: Self.oldLedgerRows) }
            try old.close()
            store = try SQLiteStore(path: path)
        case .postgres:
            let schema = TestPostgres.uniqueSchema()
            let postgres = try StoreKind.postgresStore(schema: schema)
            try await postgres.perform(.idempotent, migrating: false) { connection in
                try await PostgresSchema.migrate(connection, schema: schema, through: 7, logger: postgres.logger)
                try await connection.query(PostgresQuery(unsafeSQL: Self.oldLedgerRows), logger: postgres.logger)
            }
            try await postgres.migrate()
            store = postgres
        }
        let ledger = try await store.invocations(tool: nil, since: nil, until: nil, limit: 10_000, offset: 0)
        #expect(ledger.count == 7)
        #expect(try await store.dailyUsage(tool: nil, since: nil, until: nil) == ledgerSums(ledger))
        #expect(try await store.mcpToolUsage(since: nil, until: nil) == ledgerMCPSums(ledger))
        // Rows recorded after the migration add to the filled rollup.
        for row in sampleRows() { try await store.record(row) }
        let all = try await store.invocations(tool: nil, since: nil, until: nil, limit: 10_000, offset: 0)
        #expect(try await store.dailyUsage(tool: nil, since: nil, until: nil) == ledgerSums(all))
        await (store as? PostgresStore)?.shutdown()
    }

    @Test func aSpanIsSplitIntoWholeDaysAndPartialEnds() {
        let hour = 3_600.0, next = day0.addingTimeInterval(24 * hour)
        #expect(UsagePart.covering(since: nil, until: nil) == [.rollup(firstDay: nil, endDay: nil)])
        #expect(UsagePart.covering(since: day0, until: next) == [.rollup(firstDay: "2026-11-26", endDay: "2026-11-27")])
        #expect(UsagePart.covering(since: day0.addingTimeInterval(hour), until: nil) == [
            .ledger(since: day0.addingTimeInterval(hour), until: next), .rollup(firstDay: "2026-11-27", endDay: nil),
        ])
        #expect(UsagePart.covering(since: day0.addingTimeInterval(hour), until: day0.addingTimeInterval(2 * hour)) == [
            .ledger(since: day0.addingTimeInterval(hour), until: day0.addingTimeInterval(2 * hour))
        ])
        #expect(UsagePart.covering(since: day0, until: day0.addingTimeInterval(hour)) == [.ledger(since: day0, until: day0.addingTimeInterval(hour))])
        #expect(UsagePart.covering(since: day0.addingTimeInterval(hour), until: next.addingTimeInterval(hour)) == [
            .ledger(since: day0.addingTimeInterval(hour), until: next), .ledger(since: next, until: next.addingTimeInterval(hour)),
        ])
        #expect(UsagePart.covering(since: nil, until: next.addingTimeInterval(hour)) == [
            .rollup(firstDay: nil, endDay: "2026-11-27"), .ledger(since: next, until: next.addingTimeInterval(hour)),
        ])
        #expect(UsagePart.covering(since: next, until: day0).isEmpty)
    }

    /// Seven rows as an older gateway wrote them (no keys; scheme NULL on the oldest), over two days.
    static let oldLedgerRows = """
        INSERT INTO invocations (time, tool, token_id, sats, upstream_status, latency_ms, outcome, mcp_tool, scheme) VALUES
        (1795564800, 'weather', 'aa', 10, 200, 1, 'paid', NULL, NULL),
        (1795600000.5, 'weather', 'aa', 10, 200, 1, 'paid', NULL, 'l402'),
        (1795600001, 'weather', NULL, 0, 200, 1, 'free', NULL, NULL),
        (1795651199.9, 'search', 'bb', 3, 200, 1, 'paid', 'lookup', 'payment'),
        (1795651200, 'search', 'bb', 0, 502, 1, 'upstream_error', 'lookup', 'payment'),
        (1795651300, 'search', 'bb', 4, 200, 1, 'paid', '', 'l402'),
        (1795660000, 'weather', 'cc', 7, 200, 1, 'paid', NULL, 'payment')
        """
}

/// 2026-11-26T00:00:00Z.
private let day0 = Date(timeIntervalSince1970: 1_795_651_200)

/// Rows over three days (some exactly at midnight), two tools, every outcome and scheme, MCP tools or none.
private func sampleRows() -> [Invocation] {
    let outcomes: [(String, String?)] = [
        (Invocation.Outcome.paid, Invocation.Scheme.l402), (Invocation.Outcome.paid, Invocation.Scheme.payment),
        (Invocation.Outcome.free, nil), (Invocation.Outcome.upstreamError, Invocation.Scheme.payment),
        (Invocation.Outcome.paid, nil),
    ]
    let mcpTools: [String?] = [nil, "forecast", "forecast,alerts"]
    return (0..<60).map { index in
        let (outcome, scheme) = outcomes[index % outcomes.count]
        return Invocation(
            time: day0.addingTimeInterval(Double(index - 20) * 3_600 * 1.25 + (index.isMultiple(of: 7) ? 0 : 0.25)),
            tool: index.isMultiple(of: 4) ? "search" : "weather", tokenID: nil,
            sats: outcome == Invocation.Outcome.paid ? UInt64(index % 9 + 1) : 0, upstreamStatus: 200, latencyMs: 1,
            outcome: outcome, mcpTool: mcpTools[index % mcpTools.count], scheme: scheme)
    }
}

/// The ledger's own sums per UTC day and tool, from its rows: what the usage report must equal.
private func ledgerSums(_ rows: [Invocation]) -> [DailyUsage] {
    var sums: [[String]: DailyUsage] = [:]
    for row in rows {
        let (day, paid) = (FreeCallDay.string(for: row.time), row.outcome == Invocation.Outcome.paid)
        func scheme(_ name: String) -> SchemeUsage {
            row.scheme == name ? SchemeUsage(paidCalls: paid ? 1 : 0, sats: row.sats) : SchemeUsage()
        }
        sums[[day, row.tool], default: DailyUsage(day: day, tool: row.tool, calls: 0, paidCalls: 0, freeCalls: 0, sats: 0)].totals.add(
            UsageTotals(
                calls: 1, paidCalls: paid ? 1 : 0, freeCalls: row.outcome == Invocation.Outcome.free ? 1 : 0, sats: row.sats,
                l402: scheme(Invocation.Scheme.l402), payment: scheme(Invocation.Scheme.payment)))
    }
    return sums.values.sorted { ($0.day, $0.tool) < ($1.day, $1.tool) }
}

/// The ledger's own sums per tool and MCP tool (rows with an MCP tool only).
private func ledgerMCPSums(_ rows: [Invocation]) -> [MCPToolUsage] {
    var sums: [[String]: MCPToolUsage] = [:]
    for row in rows {
        guard let mcpTool = row.mcpTool else { continue }
        var sum = sums[[row.tool, mcpTool]] ?? MCPToolUsage(tool: row.tool, mcpTool: mcpTool, calls: 0, paidCalls: 0, sats: 0)
        sum.calls += 1
        sum.paidCalls += row.outcome == Invocation.Outcome.paid ? 1 : 0
        sum.sats += row.sats
        sums[[row.tool, mcpTool]] = sum
    }
    return sums.values.sorted { ($0.tool, $0.mcpTool) < ($1.tool, $1.mcpTool) }
}

extension StoreKind {
    /// Two stores on one fresh database, as two gateways would have.
    func makeTwoOnOneDatabase() throws -> (any PaywallStore, any PaywallStore) {
        switch self {
        case .sqlite:
            let first = try make() as! SQLiteStore
            return (first, try SQLiteStore(path: first.path))
        case .postgres:
            let schema = TestPostgres.uniqueSchema()
            return (try Self.postgresStore(schema: schema), try Self.postgresStore(schema: schema))
        }
    }

    /// Stops PostgreSQL stores' pools.
    func shutDown(_ stores: any PaywallStore...) async {
        for store in stores { await (store as? PostgresStore)?.shutdown() }
    }
}
