import Foundation
import L402
import Testing

/// Each ledger row records the scheme that paid for its call (issue 14), whether written by `record`
/// or by `commitCall`, on SQLite and PostgreSQL.
@Suite struct PaymentSchemeLedgerTests {
    @Test(arguments: StoreKind.allCases)
    func recordedRowsReadBackWithTheirScheme(_ kind: StoreKind) async throws {
        let store = try kind.make()
        let now = Date()
        for (offset, scheme) in [Invocation.Scheme.l402, Invocation.Scheme.payment, nil].enumerated() {
            try await store.record(Invocation(
                time: now.addingTimeInterval(Double(offset)), tool: "weather", tokenID: nil, sats: 1, upstreamStatus: 200,
                latencyMs: 1, outcome: scheme == nil ? Invocation.Outcome.free : Invocation.Outcome.paid, scheme: scheme))
        }
        let rows = try await store.invocations(tool: "weather", since: nil, until: nil, limit: 10, offset: 0)
        #expect(rows.map(\.scheme) == [nil, "payment", "l402"])
    }

    @Test(arguments: StoreKind.allCases)
    func aCommittedCallKeepsItsScheme(_ kind: StoreKind) async throws {
        let store = try kind.make()
        let token = try await paidToken(in: store, purchase: samplePurchase)
        for scheme in [Invocation.Scheme.payment, Invocation.Scheme.l402] {
            let lease = try #require(try await store.reserveCall(for: token, limit: 5, takenAt: Date()))
            var row = paidRow(token)
            row.scheme = scheme
            _ = try await store.commitCall(lease, purchase: samplePurchase, invocation: row)
        }
        let rows = try await store.invocations(tool: "weather", since: nil, until: nil, limit: 10, offset: 0)
        #expect(rows.compactMap(\.scheme).sorted() == ["l402", "payment"])
        #expect(rows.map(\.sats).reduce(0, +) == 8)
    }

    /// Rows of both schemes, free calls, upstream errors and a row from before schemes (NULL) over two
    /// days and two tools: each day's per-scheme figures are exactly the sums of the ledger's own rows.
    @Test(arguments: StoreKind.allCases)
    func usageIsSummedPerScheme(_ kind: StoreKind) async throws {
        let store = try kind.make()
        let midnight = Date(timeIntervalSince1970: 1_795_651_200)  // 2026-11-26T00:00:00Z
        let (paid, free, failed) = (Invocation.Outcome.paid, Invocation.Outcome.free, Invocation.Outcome.upstreamError)
        let (l402, payment) = (Invocation.Scheme.l402, Invocation.Scheme.payment)
        let calls: [(offset: Double, tool: String, sats: UInt64, outcome: String, scheme: String?)] = [
            (-60, "weather", 10, paid, l402), (-50, "weather", 7, paid, payment), (-40, "weather", 7, paid, payment),
            (-30, "weather", 0, free, nil), (-20, "weather", 0, failed, payment), (-10, "weather", 4, paid, nil),
            (10, "weather", 10, paid, l402), (20, "search", 3, paid, payment), (30, "search", 0, failed, l402),
        ]
        for call in calls {
            try await store.record(Invocation(
                time: midnight.addingTimeInterval(call.offset), tool: call.tool, tokenID: nil, sats: call.sats, upstreamStatus: 200,
                latencyMs: 1, outcome: call.outcome, scheme: call.scheme))
        }
        let usage = try await store.dailyUsage(tool: nil, since: nil, until: nil)
        #expect(usage == [
            DailyUsage(
                day: "2026-11-25", tool: "weather", calls: 6, paidCalls: 4, freeCalls: 1, sats: 28,
                l402: SchemeUsage(paidCalls: 1, sats: 10), payment: SchemeUsage(paidCalls: 2, sats: 14)),
            DailyUsage(
                day: "2026-11-26", tool: "search", calls: 2, paidCalls: 1, freeCalls: 0, sats: 3,
                l402: SchemeUsage(), payment: SchemeUsage(paidCalls: 1, sats: 3)),
            DailyUsage(
                day: "2026-11-26", tool: "weather", calls: 1, paidCalls: 1, freeCalls: 0, sats: 10,
                l402: SchemeUsage(paidCalls: 1, sats: 10), payment: SchemeUsage()),
        ])
        // The same sums, taken from the rows the ledger hands back.
        let rows = try await store.invocations(tool: nil, since: nil, until: nil, limit: 100, offset: 0)
        var total = UsageTotals()
        for day in usage { total.add(day.totals) }
        for (scheme, figures) in [(l402, total.l402), (payment, total.payment)] {
            let mine = rows.filter { $0.scheme == scheme }
            #expect(figures == SchemeUsage(paidCalls: mine.filter { $0.outcome == paid }.count, sats: mine.map(\.sats).reduce(0, +)), "\(scheme)")
        }
        #expect(total.sats == rows.map(\.sats).reduce(0, +) && total.paidCalls == rows.filter { $0.outcome == paid }.count)
    }
}
