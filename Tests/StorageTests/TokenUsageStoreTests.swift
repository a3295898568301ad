import Foundation
import L402
import Testing

@Suite struct TokenUsageStoreTests {
    @Test(arguments: KeyStoreKind.allCases)
    func leasesUpToTheLimitAndGivesEachLeaseBackOnce(_ kind: KeyStoreKind) async throws {
        let store = try kind.make()
        let token = try await paidToken(in: store)
        #expect(try await store.callsUsed(for: token) == 0)
        var leases: [CallLease] = []
        for n in 1...3 {
            let lease = try #require(try await store.reserveCall(for: token, limit: 3, takenAt: Date()))
            #expect(lease.callsUsed == n && lease.token == token && lease.limit == 3)
            leases.append(lease)
        }
        #expect(Set(leases.map(\.id)).count == 3)
        #expect(try await store.reserve(token, limit: 3) == nil)
        #expect(try await store.callsUsed(for: token) == 3)
        // A smaller limit (an attenuated copy of the token) is held against the same counter.
        #expect(try await store.reserve(token, limit: 2) == nil)
        #expect(try await store.releaseCall(leases[0]))
        #expect(try await store.releaseCall(leases[0]) == false, "a lease is given back once")
        #expect(try await store.callsUsed(for: token) == 2)
        #expect(try await store.reserve(token, limit: 3) == 3)
        #expect(try await store.releaseCall(CallLease(token: token, takenAt: Date(), limit: 3, callsUsed: 1)) == false)
        #expect(try await store.callsUsed(for: token) == 3, "an unknown lease gives nothing back")
        #expect(try await store.reserve(.random(), limit: 0) == nil)
    }

    /// A lease its process never settled (it crashed) goes back once it is older than the lifetime.
    @Test(arguments: KeyStoreKind.allCases)
    func expiredLeasesAreGivenBackAndCannotBeReleasedAgain(_ kind: KeyStoreKind) async throws {
        let store = try kind.make()
        let token = try await paidToken(in: store), other = try await paidToken(in: store)
        let start = Date()
        let old = try #require(try await store.reserveCall(for: token, limit: 2, takenAt: start))
        let older = try #require(try await store.reserveCall(for: other, limit: 2, takenAt: start.addingTimeInterval(-5)))
        let fresh = try #require(try await store.reserveCall(for: token, limit: 2, takenAt: start.addingTimeInterval(30)))
        #expect(try await store.reserve(token, limit: 2) == nil)
        #expect(try await store.releaseExpiredLeases(takenBefore: start) == 1, "only the lease taken strictly before")
        #expect(try await store.callsUsed(for: other) == 0)
        #expect(try await store.releaseExpiredLeases(takenBefore: start.addingTimeInterval(1)) == 1)
        #expect(try await store.callsUsed(for: token) == 1, "the fresh lease still holds its call")
        #expect(try await store.releaseCall(old) == false, "given back already")
        #expect(try await store.releaseCall(older) == false, "given back already")
        #expect(try await store.callsUsed(for: token) == 1)
        #expect(try await store.releaseCall(fresh))
        #expect(try await store.callsUsed(for: token) == 0)
        #expect(try await store.releaseExpiredLeases(takenBefore: start.addingTimeInterval(60)) == 0)
    }

    /// The heart of metering: concurrent requests with a one-call token, exactly one goes through.
    @Test(arguments: KeyStoreKind.allCases)
    func fiftyConcurrentReservationsOfAOneCallTokenYieldExactlyOne(_ kind: KeyStoreKind) async throws {
        let store = try kind.make()
        let token = try await paidToken(in: store)
        let counts = try await withThrowingTaskGroup(of: Int?.self) { group in
            for _ in 0..<50 { group.addTask { try await store.reserve(token, limit: 1) } }
            return try await group.reduce(into: [Int]()) { if let n = $1 { $0.append(n) } }
        }
        #expect(counts == [1])
        #expect(try await store.callsUsed(for: token) == 1)
    }

    @Test(arguments: KeyStoreKind.allCases)
    func concurrentReservationsNeverExceedAFiveCallLimit(_ kind: KeyStoreKind) async throws {
        let store = try kind.make()
        let token = try await paidToken(in: store)
        let counts = try await withThrowingTaskGroup(of: Int?.self) { group in
            for _ in 0..<40 { group.addTask { try await store.reserve(token, limit: 5) } }
            return try await group.reduce(into: [Int]()) { if let n = $1 { $0.append(n) } }
        }
        #expect(counts.sorted() == Array(1...5), "each reservation sees its own count")
    }
}

/// A database store counts only the calls of tokens whose key it holds: once a token is revoked
/// through one gateway, its calls are gone for every gateway, even one that still caches the key.
@Suite struct RevokedTokenUsageTests {
    @Test(arguments: StoreKind.allCases)
    func aRevokedOrUnknownTokenHasNoCallsToReserve(_ kind: StoreKind) async throws {
        let store = try kind.make()
        let token = try await paidToken(in: store)
        #expect(try await store.reserve(token, limit: 5) != nil)
        #expect(try await store.deleteRootKey(for: token))
        #expect(try await store.reserve(token, limit: 5) == nil, "a fresh count must not start after revocation")
        #expect(try await store.callsUsed(for: token) == 0)
        #expect(try await store.reserve(.random(), limit: 5) == nil, "no key, no calls")
    }
}

/// A database store drops a token's call counter with its key, so the counters do not outlive the tokens.
@Suite struct CounterCleanupTests {
    @Test(arguments: StoreKind.allCases)
    func revokingOrCollectingAKeyDropsItsCounter(_ kind: StoreKind) async throws {
        let store = try kind.make()
        let now = Date()
        let revoked = TokenID.random(), expired = TokenID.random(), live = TokenID.random()
        try await store.storeRootKey(randomKey(), for: revoked, purchase: samplePurchase, unpaidExpiresAt: now.addingTimeInterval(600), paidExpiresAt: nil)
        try await store.storeRootKey(
            randomKey(), for: expired, purchase: samplePurchase, unpaidExpiresAt: now.addingTimeInterval(-100), paidExpiresAt: now.addingTimeInterval(-1))
        try await store.storeRootKey(randomKey(), for: live, purchase: samplePurchase, unpaidExpiresAt: now.addingTimeInterval(-100), paidExpiresAt: nil)
        for token in [revoked, expired, live] {
            try await store.markPaid(token)
            #expect(try await store.reserve(token, limit: 5) != nil)
            #expect(try await store.reserve(token, limit: 5) != nil)
        }

        #expect(try await store.deleteRootKey(for: revoked))
        #expect(try await store.deleteExpiredSecrets(before: now) == 1)
        #expect(try await store.callsUsed(for: revoked) == 0)
        #expect(try await store.callsUsed(for: expired) == 0)
        #expect(try await store.callsUsed(for: live) == 2, "a token that keeps its key keeps its count")
    }
}

/// A token whose key the store holds and that is paid, as after a first successful credential.
func paidToken(in store: some SecretStore) async throws -> TokenID {
    let token = TokenID.random()
    try await store.storeRootKey(randomKey(), for: token, purchase: samplePurchase, unpaidExpiresAt: Date().addingTimeInterval(600), paidExpiresAt: nil)
    try await store.markPaid(token)
    return token
}
