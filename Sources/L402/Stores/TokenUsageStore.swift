/// Counts the calls made with each token, so a token paid for N calls serves exactly N.
///
/// `reserveCall` must be atomic across every gateway sharing the store: in SQL one conditional
/// UPDATE/UPSERT, never a read followed by a write. A store that also keeps the root keys (the
/// gateway's database) reserves only while the token's key exists, in the same statement: a token
/// revoked through any gateway then has no calls left on every other one, even those still holding
/// its key in a short-lived cache.
public protocol TokenUsageStore: Sendable {
    /// Atomically takes one call from `token` if fewer than `limit` are used, and returns how many
    /// are used now (this one included); nil when spent.
    func reserveCall(for token: TokenID, limit: Int) async throws -> Int?
    /// Gives back a reserved call (the upstream failed, so the paid call is not spent). Never goes below 0.
    func releaseCall(for token: TokenID) async throws
    /// How many calls of `token` are currently used (0 for a token never used).
    func callsUsed(for token: TokenID) async throws -> Int
}
