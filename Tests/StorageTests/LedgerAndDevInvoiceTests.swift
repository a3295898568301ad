import L402
import Foundation
import LightningTestSupport
import Storage
import Testing

@Suite struct InvocationLedgerTests {
    @Test(arguments: StoreKind.allCases)
    func recordsAndListsNewestFirstWithFiltersAndPages(_ kind: StoreKind) async throws {
        let ledger = try kind.make()
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        for i in 0..<10 {
            try await ledger.record(Invocation(
                time: start.addingTimeInterval(Double(i) * 60), tool: i.isMultiple(of: 2) ? "weather" : "search",
                tokenID: String(repeating: "ab", count: 32), sats: UInt64(i), upstreamStatus: 200 + i, latencyMs: 1.5,
                outcome: "paid"))
        }
        let all = try await ledger.invocations(tool: nil, since: nil, until: nil, limit: 100, offset: 0)
        #expect(all.map(\.sats) == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
        #expect(all.allSatisfy { $0.id != nil })
        #expect(all.last?.time == start)
        #expect(all.first?.upstreamStatus == 209)

        let weather = try await ledger.invocations(tool: "weather", since: nil, until: nil, limit: 100, offset: 0)
        #expect(weather.map(\.sats) == [8, 6, 4, 2, 0])
        let recent = try await ledger.invocations(tool: nil, since: start.addingTimeInterval(7 * 60), until: nil, limit: 100, offset: 0)
        #expect(recent.map(\.sats) == [9, 8, 7])
        let page2 = try await ledger.invocations(tool: nil, since: nil, until: nil, limit: 3, offset: 3)
        #expect(page2.map(\.sats) == [6, 5, 4])
        // `until` is exclusive: the call at exactly start + 3 min is not before it.
        let window = try await ledger.invocations(
            tool: "weather", since: start.addingTimeInterval(60), until: start.addingTimeInterval(6 * 60), limit: 100, offset: 0)
        #expect(window.map(\.sats) == [4, 2])
    }

    /// A ledger write repeated after its outcome was lost (a broken connection, the gateway's deferred
    /// ledger) carries the invocation's key: one row, not two. Another call with equal fields is its own row.
    @Test(arguments: StoreKind.allCases)
    func recordingTheSameInvocationTwiceLeavesOneRow(_ kind: StoreKind) async throws {
        let ledger = try kind.make()
        let call = Invocation(time: Date(), tool: "t", tokenID: nil, sats: 3, upstreamStatus: 200, latencyMs: 1, outcome: "paid")
        try await ledger.record(call)
        try await ledger.record(call)
        var twin = call
        twin.key = UUID()
        try await ledger.record(twin)
        let rows = try await ledger.invocations(tool: "t", since: nil, until: nil, limit: 10, offset: 0)
        #expect(Set(rows.map(\.key)) == [call.key, twin.key])
        #expect(rows.count == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func sumsUsagePerToolAndUTCDay(_ kind: StoreKind) async throws {
        let ledger = try kind.make()
        let midnight = Date(timeIntervalSince1970: 1_795_651_200)  // 2026-11-26T00:00:00Z
        let calls: [(offset: Double, tool: String, sats: UInt64, outcome: String)] = [
            (-7200, "weather", 10, Invocation.Outcome.paid),
            (-60, "weather", 10, Invocation.Outcome.paid),
            (-1, "weather", 0, Invocation.Outcome.free),
            (-30, "search", 0, Invocation.Outcome.upstreamError),
            (0, "weather", 0, Invocation.Outcome.free),
            (3600, "weather", 25, Invocation.Outcome.paid),
            (3601, "search", 3, Invocation.Outcome.paid),
        ]
        for call in calls {
            try await ledger.record(Invocation(
                time: midnight.addingTimeInterval(call.offset), tool: call.tool, tokenID: nil, sats: call.sats,
                upstreamStatus: 200, latencyMs: 1, outcome: call.outcome))
        }
        let all = try await ledger.dailyUsage(tool: nil, since: nil, until: nil)
        #expect(all == [
            DailyUsage(day: "2026-11-25", tool: "search", calls: 1, paidCalls: 0, freeCalls: 0, sats: 0),
            DailyUsage(day: "2026-11-25", tool: "weather", calls: 3, paidCalls: 2, freeCalls: 1, sats: 20),
            DailyUsage(day: "2026-11-26", tool: "search", calls: 1, paidCalls: 1, freeCalls: 0, sats: 3),
            DailyUsage(day: "2026-11-26", tool: "weather", calls: 2, paidCalls: 1, freeCalls: 1, sats: 25),
        ])
        let weatherFromMidnight = try await ledger.dailyUsage(tool: "weather", since: midnight, until: midnight.addingTimeInterval(3600))
        #expect(weatherFromMidnight == [DailyUsage(day: "2026-11-26", tool: "weather", calls: 1, paidCalls: 0, freeCalls: 1, sats: 0)])
        #expect(try await ledger.dailyUsage(tool: "nothing", since: nil, until: nil).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func keepsFreeAndUnreachableCalls(_ kind: StoreKind) async throws {
        let ledger = try kind.make()
        try await ledger.record(Invocation(
            time: Date(), tool: "echo", tokenID: nil, sats: 0, upstreamStatus: nil, latencyMs: 0, outcome: "free"))
        let rows = try await ledger.invocations(tool: "echo", since: nil, until: nil, limit: 10, offset: 0)
        #expect(rows.count == 1)
        #expect(rows[0].tokenID == nil && rows[0].upstreamStatus == nil && rows[0].outcome == "free")
    }
}

/// The dev node's invoices: the same contract the in-memory store meets (LightningTestSupport).
@Suite struct DevInvoiceStoreTests {
    @Test(arguments: StoreKind.allCases) func roundTrips(_ kind: StoreKind) async throws {
        try await DevInvoiceStoreConformance.roundTrips(kind.make())
    }
    @Test(arguments: StoreKind.allCases) func rejectsDuplicates(_ kind: StoreKind) async throws {
        try await DevInvoiceStoreConformance.rejectsDuplicates(kind.make())
    }
    @Test(arguments: StoreKind.allCases) func settlesOnce(_ kind: StoreKind) async throws {
        try await DevInvoiceStoreConformance.settlesOnce(kind.make())
    }
    @Test(arguments: StoreKind.allCases) func settlesOnceUnderConcurrency(_ kind: StoreKind) async throws {
        try await DevInvoiceStoreConformance.settlesOnceUnderConcurrency(kind.make())
    }
    @Test(arguments: StoreKind.allCases) func deletesOnlyExpiredUnsettled(_ kind: StoreKind) async throws {
        try await DevInvoiceStoreConformance.deletesOnlyExpiredUnsettled(kind.make())
    }
}

@Suite struct SQLiteSchemaTests {
    @Test func migratesOnceInWALModeAndReopens() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("gateway.sqlite").path
        let first = try SQLiteStore(path: path)
        #expect(try await first.journalMode() == "wal")
        let migrations = try await first.appliedMigrations()
        #expect(!migrations.isEmpty)
        try await first.record(Invocation(time: Date(), tool: "t", tokenID: nil, sats: 1, upstreamStatus: 200, latencyMs: 1, outcome: "paid"))
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.appliedMigrations() == migrations)
        #expect(try await reopened.invocations(tool: nil, since: nil, until: nil, limit: 10, offset: 0).count == 1)
    }

    @Test func refusesAPathThatIsNotADatabase() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("garbage.sqlite").path
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self) { try SQLiteStore(path: path) }
    }
}
