import Foundation
import L402
import Testing

@testable import Gateway
@testable import L402Server

/// The root-key cache in front of the secret store: paid keys only, revocation through it is immediate.
@Suite struct RecentSecretsCacheTests {
    @Test func cachesPaidKeysOnlyAndForgetsRevokedOnes() async throws {
        let store = InMemorySecretStore()
        let cache = RecentSecretsCache(store, lifetime: .seconds(3600))
        let paid = TokenID.random(), unpaid = TokenID.random()
        let expiry = Date().addingTimeInterval(600)
        try await cache.storeRootKey(Array(repeating: 1, count: 32), for: paid, purchase: Purchase(tool: "t", amountSats: 1, calls: 1), unpaidExpiresAt: expiry, paidExpiresAt: nil)
        try await cache.storeRootKey(Array(repeating: 2, count: 32), for: unpaid, purchase: Purchase(tool: "t", amountSats: 1, calls: 1), unpaidExpiresAt: expiry, paidExpiresAt: nil)
        try await cache.markPaid(paid)
        #expect(try await cache.secret(for: paid)?.isPaid == true)
        #expect(try await cache.secret(for: unpaid)?.isPaid == false)

        // Removed behind the cache's back: the paid key is still served from memory, the unpaid one is not.
        _ = await store.deleteRootKey(for: paid)
        _ = await store.deleteRootKey(for: unpaid)
        #expect(try await cache.secret(for: paid)?.rootKey == Array(repeating: 1, count: 32))
        #expect(try await cache.secret(for: unpaid) == nil)

        // Revoked through the cache: gone at once.
        try await cache.storeRootKey(Array(repeating: 3, count: 32), for: paid, purchase: Purchase(tool: "t", amountSats: 1, calls: 1), unpaidExpiresAt: expiry, paidExpiresAt: nil)
        #expect(try await cache.deleteRootKey(for: paid))
        #expect(try await cache.secret(for: paid) == nil)
    }

    @Test func entriesExpire() async throws {
        let store = InMemorySecretStore()
        let cache = RecentSecretsCache(store, lifetime: .zero)
        let token = TokenID.random()
        try await cache.storeRootKey(Array(repeating: 1, count: 32), for: token, purchase: Purchase(tool: "t", amountSats: 1, calls: 1), unpaidExpiresAt: Date().addingTimeInterval(600), paidExpiresAt: nil)
        try await cache.markPaid(token)
        #expect(try await cache.secret(for: token) != nil)
        _ = await store.deleteRootKey(for: token)
        #expect(try await cache.secret(for: token) == nil)
    }
}
