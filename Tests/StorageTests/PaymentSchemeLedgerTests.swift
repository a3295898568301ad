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
}
