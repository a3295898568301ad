import Foundation

/// A token's root key as stored, with what garbage collection needs to know about it.
public struct StoredSecret: Sendable, Equatable {
    /// The 32-byte root key the token's macaroon is signed with. Never log it.
    public var rootKey: [UInt8]
    /// True once a credential with the right preimage was seen: the invoice was paid.
    public var isPaid: Bool
    /// What the token was sold as (price, calls, tool); nil for a key stored before purchases were
    /// recorded, whose numbers then come from the minter's own caveats (see `Purchase`).
    public var purchase: Purchase?

    /// A secret with this root key, paid or not yet, and what was sold with it (nil for keys stored before purchases).
    public init(rootKey: [UInt8], isPaid: Bool, purchase: Purchase? = nil) {
        self.rootKey = rootKey
        self.isPaid = isPaid
        self.purchase = purchase
    }
}

/// Where root keys live, one per token, looked up by token id.
///
/// Lifetime of a key: the `Minter` stores it with what was sold (`Purchase`) and two dates. Until someone proves payment the key
/// may be collected after `unpaidExpiresAt` (the invoice expired, plus a grace period); the
/// `Authenticator` calls `markPaid` on the first credential with the right preimage, after which the
/// key lives until `paidExpiresAt` (the token's own expiry; nil: until revoked).
/// Implementations: `InMemorySecretStore` here; SQLite (and later PostgreSQL) in the Storage module.
public protocol SecretStore: Sendable {
    /// Saves the root key of a freshly minted token with what it was sold as (`purchase`, read back in
    /// `StoredSecret.purchase`). Throws if the token id is already stored.
    func storeRootKey(_ key: [UInt8], for token: TokenID, purchase: Purchase, unpaidExpiresAt: Date, paidExpiresAt: Date?) async throws
    /// The stored key of `token`, or nil when unknown (never minted, revoked or collected).
    func secret(for token: TokenID) async throws -> StoredSecret?
    /// Records that the token was paid for, so `deleteExpiredSecrets` keeps it until `paidExpiresAt`.
    /// Idempotent; a no-op for an unknown token.
    func markPaid(_ token: TokenID) async throws
    /// Deletes the key (revocation): the token stops working at once. True if it existed.
    func deleteRootKey(for token: TokenID) async throws -> Bool
    /// Deletes keys that can no longer be used at `date`: unpaid ones past `unpaidExpiresAt`, and any
    /// past `paidExpiresAt`. Returns how many were deleted.
    func deleteExpiredSecrets(before date: Date) async throws -> Int
}

extension SecretStore {
    /// The root key of `token`, or nil when unknown.
    public func rootKey(for token: TokenID) async throws -> [UInt8]? {
        try await secret(for: token)?.rootKey
    }
}

/// Thrown by a `SecretStore` asked to store a second key under one token id.
public struct DuplicateTokenID: Error, CustomStringConvertible {
    /// The id that is already stored.
    public var tokenID: TokenID
    /// The error for this id.
    public init(tokenID: TokenID) { self.tokenID = tokenID }
    public var description: String { "a root key for token \(tokenID.hex) already exists" }
}
