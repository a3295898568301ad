import Foundation
import L402
import Testing

/// Committing a leased call: the lease, the committed count and the ledger row in one transaction,
/// with the exact share of the purchase; on SQLite and PostgreSQL.
@Suite struct MeteringStoreTests {
    /// Issue 15: a holder narrowing `calls` must not inflate revenue. Each call here is made under a
    /// smaller limit (`calls=k` added for the k-th call), yet the rows add up to exactly the amount.
    @Test(arguments: StoreKind.allCases)
    func theCommitsOfATokenAddUpToWhatWasPaidWhateverTheCallsCaveats(_ kind: StoreKind) async throws {
        let store = try kind.make()
        for (amount, calls) in [(20, 5), (7, 3), (1, 3), (100, 7)] as [(UInt64, Int)] {
            let purchase = Purchase(tool: "weather", amountSats: amount, calls: calls)
            let token = try await paidToken(in: store, purchase: purchase)
            var booked: UInt64 = 0
            for k in 1...calls {
                let lease = try #require(try await store.reserveCall(for: token, limit: k, takenAt: Date()))
                let committed = try await store.commitCall(lease, purchase: purchase, invocation: paidRow(token))
                #expect(committed == .committed(ordinal: k, sats: purchase.sats(forCommittedCall: k)))
                booked += committed.sats
            }
            #expect(booked == amount)
            #expect(try await store.reserve(token, limit: calls) == nil, "every call is spent")
            let rows = try await store.invocations(tool: "weather", since: nil, until: nil, limit: 100, offset: 0)
                .filter { $0.tokenID == token.hex }
            #expect(rows.count == calls && rows.map(\.sats).reduce(0, +) == amount, "the ledger agrees: \(amount) sats, \(calls) rows")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRepeatedCommitChangesNothing(_ kind: StoreKind) async throws {
        let store = try kind.make()
        let token = try await paidToken(in: store, purchase: samplePurchase)
        let lease = try #require(try await store.reserveCall(for: token, limit: 5, takenAt: Date()))
        let row = paidRow(token)
        #expect(try await store.commitCall(lease, purchase: samplePurchase, invocation: row) == .committed(ordinal: 1, sats: 4))
        #expect(try await store.commitCall(lease, purchase: samplePurchase, invocation: row) == .alreadyRecorded)
        #expect(try await store.releaseCall(lease) == false, "a committed lease cannot be given back")
        #expect(try await store.releaseExpiredLeases(takenBefore: Date().addingTimeInterval(3600)) == 0)
        #expect(try await store.callsUsed(for: token) == 1)
        #expect(try await rows(of: token, in: store).count == 1)
    }

    /// A lease given back (its process was thought dead) cannot also be committed as itself: a late
    /// commit takes a call again only if the token still has one, else it books nothing.
    @Test(arguments: StoreKind.allCases)
    func aLeaseGivenBackIsNotCommittedTwice(_ kind: StoreKind) async throws {
        let store = try kind.make()
        let purchase = Purchase(tool: "weather", amountSats: 10, calls: 2)
        let token = try await paidToken(in: store, purchase: purchase)
        let start = Date()
        let first = try #require(try await store.reserveCall(for: token, limit: 2, takenAt: start))
        #expect(try await store.releaseExpiredLeases(takenBefore: start.addingTimeInterval(1)) == 1)
        #expect(try await store.callsUsed(for: token) == 0)
        // The call is still free: the late commit takes it.
        #expect(try await store.commitCall(first, purchase: purchase, invocation: paidRow(token)) == .retaken(ordinal: 1, sats: 5))
        #expect(try await store.callsUsed(for: token) == 1)

        let second = try #require(try await store.reserveCall(for: token, limit: 2, takenAt: start))
        #expect(try await store.releaseCall(second))
        // Its call went back and was taken by someone else: the late commit finds none left.
        let third = try #require(try await store.reserveCall(for: token, limit: 2, takenAt: start))
        #expect(try await store.commitCall(second, purchase: purchase, invocation: paidRow(token)) == .unmetered)
        #expect(try await store.commitCall(third, purchase: purchase, invocation: paidRow(token)) == .committed(ordinal: 2, sats: 5))
        #expect(try await store.callsUsed(for: token) == 2)
        let booked = try await rows(of: token, in: store)
        #expect(booked.count == 3 && booked.map(\.sats).reduce(0, +) == 10, "three served calls, the paid 10 sats once")
    }

    /// Commits racing the collector over the same leases: each lease is settled by exactly one of them,
    /// so the count of calls in use always equals the calls committed.
    @Test(arguments: StoreKind.allCases)
    func commitsRacingExpiryNeverSettleALeaseTwice(_ kind: StoreKind) async throws {
        let store = try kind.make()
        let purchase = Purchase(tool: "weather", amountSats: 60, calls: 30)
        let token = try await paidToken(in: store, purchase: purchase)
        var leases: [CallLease] = []
        for _ in 0..<20 { leases.append(try #require(try await store.reserveCall(for: token, limit: 30, takenAt: Date()))) }
        let outcomes = try await withThrowingTaskGroup(of: CommittedCall?.self) { group in
            for lease in leases {
                group.addTask { try await store.commitCall(lease, purchase: purchase, invocation: paidRow(token)) }
            }
            for _ in 0..<4 {
                group.addTask { _ = try await store.releaseExpiredLeases(takenBefore: Date().addingTimeInterval(60)); return nil }
            }
            return try await group.reduce(into: [CommittedCall]()) { if let outcome = $1 { $0.append(outcome) } }
        }
        let ordinals = outcomes.compactMap { outcome -> Int? in
            switch outcome {
            case .committed(let n, _), .retaken(let n, _): n
            case .unmetered, .alreadyRecorded: nil
            }
        }
        #expect(ordinals.sorted() == Array(1...20), "every commit spent a call of its own: \(outcomes)")
        #expect(try await store.callsUsed(for: token) == 20)
        #expect(try await store.releaseExpiredLeases(takenBefore: Date().addingTimeInterval(60)) == 0)
        #expect(try await rows(of: token, in: store).map(\.sats).reduce(0, +) == 40)
    }

    /// Revoking a token drops its leases: a commit after that spends nothing (the row says what was served).
    @Test(arguments: StoreKind.allCases)
    func aCommitAfterRevocationBooksNothing(_ kind: StoreKind) async throws {
        let store = try kind.make()
        let token = try await paidToken(in: store, purchase: samplePurchase)
        let lease = try #require(try await store.reserveCall(for: token, limit: 5, takenAt: Date()))
        #expect(try await store.deleteRootKey(for: token))
        #expect(try await store.commitCall(lease, purchase: samplePurchase, invocation: paidRow(token)) == .unmetered)
        #expect(try await store.callsUsed(for: token) == 0)
        #expect(try await store.reserve(token, limit: 5) == nil)
    }

    private func rows(of token: TokenID, in store: any PaywallStore) async throws -> [Invocation] {
        try await store.invocations(tool: "weather", since: nil, until: nil, limit: 1000, offset: 0).filter { $0.tokenID == token.hex }
    }
}

/// A paid call's row before commit (the store fills in its sats).
func paidRow(_ token: TokenID) -> Invocation {
    Invocation(time: Date(), tool: "weather", tokenID: token.hex, sats: 999, upstreamStatus: 200, latencyMs: 1, outcome: "paid")
}

/// A paid token sold as `purchase`.
func paidToken(in store: some SecretStore, purchase: Purchase) async throws -> TokenID {
    let token = TokenID.random()
    try await store.storeRootKey(randomKey(), for: token, purchase: purchase, unpaidExpiresAt: Date().addingTimeInterval(600), paidExpiresAt: nil)
    try await store.markPaid(token)
    return token
}
