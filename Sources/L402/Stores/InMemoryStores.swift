import Foundation

/// A `SecretStore` (and `ServerSecretStore`) in memory: for tests, the agent client, and runs that need
/// not survive a restart. Its server secrets are shared by whoever shares the actor, i.e. one process.
public actor InMemorySecretStore: SecretStore, ServerSecretStore {
    private struct Entry {
        var secret: StoredSecret
        var unpaidExpiresAt: Date
        var paidExpiresAt: Date?
    }

    private var entries: [TokenID: Entry] = [:]
    private var serverSecrets: [String: [UInt8]] = [:]

    /// An empty store.
    public init() {}

    public func storeRootKey(_ key: [UInt8], for token: TokenID, purchase: Purchase, unpaidExpiresAt: Date, paidExpiresAt: Date?) throws {
        guard entries[token] == nil else { throw DuplicateTokenID(tokenID: token) }
        entries[token] = Entry(
            secret: StoredSecret(rootKey: key, isPaid: false, purchase: purchase), unpaidExpiresAt: unpaidExpiresAt,
            paidExpiresAt: paidExpiresAt)
    }

    public func secret(for token: TokenID) -> StoredSecret? { entries[token]?.secret }

    public func markPaid(_ token: TokenID) { entries[token]?.secret.isPaid = true }

    public func deleteRootKey(for token: TokenID) -> Bool { entries.removeValue(forKey: token) != nil }

    public func deleteExpiredSecrets(before date: Date) -> Int {
        let doomed = entries.filter { _, entry in
            (!entry.secret.isPaid && entry.unpaidExpiresAt < date) || (entry.paidExpiresAt.map { $0 < date } ?? false)
        }.keys
        for token in doomed { entries[token] = nil }
        return doomed.count
    }

    public func serverSecret(named name: String, candidate: [UInt8]) -> [UInt8] {
        if let stored = serverSecrets[name] { return stored }
        serverSecrets[name] = candidate
        return candidate
    }
}

/// A `TokenUsageStore` in memory; the actor makes `reserveCall` atomic.
public actor InMemoryTokenUsageStore: TokenUsageStore {
    private var used: [TokenID: Int] = [:]
    private var leases: [UUID: CallLease] = [:]

    /// An empty store.
    public init() {}

    public func reserveCall(for token: TokenID, limit: Int, takenAt: Date) -> CallLease? {
        let current = used[token, default: 0]
        guard current < limit else { return nil }
        used[token] = current + 1
        let lease = CallLease(token: token, takenAt: takenAt, limit: limit, callsUsed: current + 1)
        leases[lease.id] = lease
        return lease
    }

    public func releaseCall(_ lease: CallLease) -> Bool {
        guard leases.removeValue(forKey: lease.id) != nil else { return false }
        if let current = used[lease.token], current > 0 { used[lease.token] = current - 1 }
        return true
    }

    public func releaseExpiredLeases(takenBefore date: Date) -> Int {
        let expired = leases.values.filter { $0.takenAt < date }
        for lease in expired { _ = releaseCall(lease) }
        return expired.count
    }

    /// Spends a leased call (no ledger here): true when the lease still existed.
    public func commitCall(_ lease: CallLease) -> Bool {
        leases.removeValue(forKey: lease.id) != nil
    }

    public func callsUsed(for token: TokenID) -> Int { used[token, default: 0] }
}
