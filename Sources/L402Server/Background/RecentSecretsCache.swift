import Foundation
import L402
import Synchronization

/// A `SecretStore` in front of the database that remembers the root keys of *paid* tokens for a
/// short time, so a busy token does not cost a database read on every call.
///
/// Unpaid secrets are never cached (the first paid call must reach `markPaid`). Revoking through
/// this store takes effect at once here; a revocation made by another process sharing the
/// database takes effect here within `lifetime`.
final class RecentSecretsCache: SecretStore {
    private let store: any SecretStore
    private let lifetime: Duration
    private let capacity: Int
    private let entries = Mutex<[TokenID: (secret: StoredSecret, until: ContinuousClock.Instant)]>([:])

    init(_ store: any SecretStore, lifetime: Duration = .seconds(2), capacity: Int = 10_000) {
        self.store = store
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func secret(for token: TokenID) async throws -> StoredSecret? {
        let now = ContinuousClock.now
        if let cached = entries.withLock({ $0[token] }), cached.until > now { return cached.secret }
        let secret = try await store.secret(for: token)
        if let secret, secret.isPaid { remember(secret, for: token, now: now) }
        return secret
    }

    func markPaid(_ token: TokenID) async throws {
        try await store.markPaid(token)
    }

    func storeRootKey(_ key: [UInt8], for token: TokenID, purchase: Purchase, unpaidExpiresAt: Date, paidExpiresAt: Date?) async throws {
        try await store.storeRootKey(key, for: token, purchase: purchase, unpaidExpiresAt: unpaidExpiresAt, paidExpiresAt: paidExpiresAt)
    }

    func deleteRootKey(for token: TokenID) async throws -> Bool {
        _ = entries.withLock { $0.removeValue(forKey: token) }
        return try await store.deleteRootKey(for: token)
    }

    func deleteExpiredSecrets(before date: Date) async throws -> Int {
        // Expired keys may still sit here for up to `lifetime`; token expiry itself is a caveat,
        // checked on every call, so a cached key never extends a token's life.
        try await store.deleteExpiredSecrets(before: date)
    }

    private func remember(_ secret: StoredSecret, for token: TokenID, now: ContinuousClock.Instant) {
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.until > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = (secret, now + lifetime)
        }
    }
}
