/// `POST /_l402/admin/tokens/<id>/revoke`: `{"revoked": "<token id, hex>"}`.
public struct AdminRevocation: Codable, Sendable, Equatable {
    /// The revoked token's id, 64 hex digits.
    public var revoked: String

    /// The answer for a revoked token.
    public init(revoked: String) {
        self.revoked = revoked
    }
}
