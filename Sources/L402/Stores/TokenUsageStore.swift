import Foundation

/// One call taken from a token and not yet settled: a lease. It is committed (the call is spent and
/// its ledger row written, see `MeteringStore`), released (the call goes back to the token), or —
/// when its process died or lost it — given back once it is older than the lease lifetime
/// (`releaseExpiredLeases`), so a paid call is never lost to a crash.
public struct CallLease: Sendable, Hashable {
    /// Names this lease in the store.
    public var id: UUID
    /// The token the call is taken from.
    public var token: TokenID
    /// When it was taken (the paywall's clock).
    public var takenAt: Date
    /// The limit it was taken under (the purchase's calls, or a smaller `calls` caveat): a commit
    /// made after the lease was given back may take a call again only within it.
    public var limit: Int
    /// Calls of the token in use right after it was taken (committed and leased), this one included.
    public var callsUsed: Int

    /// A lease with every field as stored.
    public init(id: UUID = UUID(), token: TokenID, takenAt: Date, limit: Int, callsUsed: Int) {
        self.id = id
        self.token = token
        self.takenAt = takenAt
        self.limit = limit
        self.callsUsed = callsUsed
    }
}

/// Counts the calls made with each token, so a token paid for N calls serves exactly N.
///
/// A token's calls in use are its committed calls plus its leases. `reserveCall` must be atomic
/// across every gateway sharing the store: in SQL one conditional UPDATE/UPSERT on the token's
/// counter row, never a read (or a count of lease rows) followed by a write. A store that also
/// keeps the root keys (the gateway's database) reserves only while the token's key exists, in the
/// same statement: a token revoked through any gateway then has no calls left on every other one,
/// even those still holding its key in a short-lived cache. Revoking or collecting a key drops its
/// counter and leases.
public protocol TokenUsageStore: Sendable {
    /// Atomically leases one call of `token` if fewer than `limit` are in use, recording `takenAt`;
    /// nil when spent (or `limit` is not positive).
    func reserveCall(for token: TokenID, limit: Int, takenAt: Date) async throws -> CallLease?
    /// Gives back a leased call (the upstream failed, so the paid call is not spent). True when the
    /// lease still existed; false, changing nothing, when it was committed, released or given back.
    @discardableResult
    func releaseCall(_ lease: CallLease) async throws -> Bool
    /// Gives back every lease taken before `date` (its process died, or lost it): each returns its
    /// call to its token. Returns how many were given back.
    func releaseExpiredLeases(takenBefore date: Date) async throws -> Int
    /// How many calls of `token` are in use, committed and leased (0 for a token never used).
    func callsUsed(for token: TokenID) async throws -> Int
}

/// How a commit was booked: see `MeteringStore.commitCall`.
public enum CommittedCall: Sendable, Equatable {
    /// The lease was spent; it was the token's `ordinal`-th committed call and earned `sats`.
    case committed(ordinal: Int, sats: UInt64)
    /// The lease had been given back (it expired) and a call was still free, so it was taken again:
    /// the `ordinal`-th committed call, earning `sats`.
    case retaken(ordinal: Int, sats: UInt64)
    /// The lease had been given back and the token had no call left (or was revoked): the served call
    /// could not be spent. Its row is written with 0 sats.
    case unmetered
    /// A row with this invocation's key exists: the commit had already happened (a retry). Nothing changed.
    case alreadyRecorded

    /// The satoshis this commit booked.
    public var sats: UInt64 {
        switch self {
        case .committed(_, let sats), .retaken(_, let sats): sats
        case .unmetered, .alreadyRecorded: 0
        }
    }
}

/// Where a paid call is spent and metered in one transaction: the lease deleted, the token's
/// committed count raised, and the ledger row written with the exact sats of that call.
public protocol MeteringStore: TokenUsageStore, InvocationLedger {
    /// Commits `lease` in one transaction and writes `invocation` (its `sats` ignored) with the sats
    /// the token's n-th committed call earns (`purchase.sats(forCommittedCall: n)`).
    ///
    /// Exactly once: a lease is deleted by at most one commit, release or expiry; a commit whose
    /// lease is gone takes a call again only within `lease.limit`; and a second commit with the same
    /// `invocation.key` (a retry whose first outcome was unknown) changes nothing.
    func commitCall(_ lease: CallLease, purchase: Purchase, invocation: Invocation) async throws -> CommittedCall
}
