import Foundation
import L402

/// The token behind an authorised call, for the handler that serves it.
public struct VerifiedToken: Sendable, Equatable {
    /// The token id (public: it travels in the macaroon's identifier).
    public var id: TokenID
    /// The invoice's payment hash, 32 bytes.
    public var paymentHash: [UInt8]
    /// Every caveat of the credential, in order (the minter's and any a holder added).
    public var caveats: [L402Caveat]
    /// What the token was bought for, in satoshis.
    public var amountSats: UInt64
    /// The calls it may make (the smallest `calls` caveat); nil: no limit.
    public var callsLimit: Int?
    /// Calls used so far, this one included.
    public var callsUsed: Int
    /// When it stops working (the earliest `expires_at`), if ever.
    public var expiresAt: Date?

    /// Calls left after this one; nil when calls are not limited.
    public var callsLeft: Int? { callsLimit.map { max(0, $0 - callsUsed) } }
}
