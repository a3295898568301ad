import ByteEncoding
import Foundation
import L402

/// One token as the client keeps it: the challenge it answered, and once paid, its preimage.
/// An L402 token (macaroon, several calls) or a `Payment` one (`paymentChallenge`, one call,
/// and the server's `receipt` once used).
///
/// A token is *pending* between the moment its challenge is accepted and the moment the wallet
/// returns the preimage; it is saved in that state before paying, so a crash after the payment
/// can resume with the preimage instead of paying again.
public struct CachedToken: Sendable, Codable, Equatable {
    /// The server, as `scheme://host:port` (see `Origin`).
    public var origin: String
    /// The path prefix this token pays for (the tool's prefix, e.g. `/weather/`).
    public var scope: String
    /// The macaroon, standard base64 as it travels in the `Authorization` header.
    public var macaroon: String
    /// The BOLT-11 invoice the challenge asked to be paid.
    public var invoice: String
    /// The invoice's payment hash, hex: unique per token, and the token's key in the cache.
    public var paymentHash: String
    /// The token's id from the macaroon identifier, hex (nil when the identifier is not L402 v0).
    public var tokenID: String?
    /// What the invoice costs.
    public var amountSats: UInt64
    /// The tool the token is for, when the challenge says.
    public var tool: String?
    /// The preimage, hex; nil while pending. A secret: never logged.
    public var preimage: String?
    /// How many calls the token allows (`calls` caveat); nil when it does not say.
    public var callsLimit: Int?
    /// Calls this client has made with the token.
    public var callsUsed: Int
    /// When the token stops being valid (`expires_at` caveat); nil when it does not say.
    public var expiresAt: Date?
    /// When the invoice stops being payable.
    public var invoiceExpiresAt: Date
    /// When the challenge was accepted.
    public var createdAt: Date
    /// When the payment completed; nil while pending.
    public var paidAt: Date?
    /// For a `Payment` (Lightning `charge`) token: the challenge's `WWW-Authenticate` value, echoed
    /// in the credential. Nil for L402 tokens (whose `macaroon` is then set).
    public var paymentChallenge: String?
    /// The `Payment-Receipt` the server sent when the call succeeded (never holds the preimage).
    public var receipt: PaymentReceipt?

    /// A cached token with every field as stored.
    public init(
        origin: String, scope: String, macaroon: String, invoice: String, paymentHash: String,
        tokenID: String? = nil, amountSats: UInt64, tool: String? = nil, preimage: String? = nil,
        callsLimit: Int? = nil, callsUsed: Int = 0, expiresAt: Date? = nil, invoiceExpiresAt: Date,
        createdAt: Date = Date(), paidAt: Date? = nil, paymentChallenge: String? = nil, receipt: PaymentReceipt? = nil
    ) {
        self.origin = origin
        self.scope = scope
        self.macaroon = macaroon
        self.invoice = invoice
        self.paymentHash = paymentHash
        self.tokenID = tokenID
        self.amountSats = amountSats
        self.tool = tool
        self.preimage = preimage
        self.callsLimit = callsLimit
        self.callsUsed = callsUsed
        self.expiresAt = expiresAt
        self.invoiceExpiresAt = invoiceExpiresAt
        self.createdAt = createdAt
        self.paidAt = paidAt
        self.paymentChallenge = paymentChallenge
        self.receipt = receipt
    }

    /// `L402` or `Payment`.
    public var scheme: String { paymentChallenge == nil ? "L402" : "Payment" }

    /// Saved before paying, not yet paid (or paid and the process died before the preimage was saved).
    public var isPending: Bool { preimage == nil }

    /// Calls still available, or nil when the token sets no limit.
    public var callsLeft: Int? { callsLimit.map { max(0, $0 - callsUsed) } }

    /// Paid, not expired at `now`, and with calls left.
    public func isUsable(at now: Date) -> Bool {
        guard !isPending else { return false }
        if let expiresAt, expiresAt <= now { return false }
        if let left = callsLeft, left == 0 { return false }
        return true
    }

    /// Whether this token pays for `path` (`/weather` and `/weather/x` both fall under `/weather/`).
    public func covers(path: String) -> Bool {
        Self.path(path, isUnder: scope)
    }

    /// The `Authorization` header value: `L402 <macaroon>:<preimage>`, or for a `Payment` token
    /// `Payment <credential>` echoing its challenge; nil while pending.
    public var authorizationHeader: String? {
        guard let paymentChallenge else { return exportedCredential.map { "L402 \($0)" } }
        guard let preimage, let bytes = try? Hex.decode(preimage),
              let challenge = try? PaymentChallenge(parsing: paymentChallenge)
        else { return nil }
        return PaymentCredential(challenge: challenge, preimage: bytes).headerValue
    }

    /// The credential as handed to a sub-agent: `<macaroon>:<preimage hex>`; nil while pending
    /// and for `Payment` tokens (one call, not delegable).
    public var exportedCredential: String? {
        guard paymentChallenge == nil else { return nil }
        return preimage.map { "\(macaroon):\($0)" }
    }

    static func path(_ path: String, isUnder scope: String) -> Bool {
        if scope.isEmpty || scope == "/" { return true }
        if path.hasPrefix(scope) { return true }
        // "/weather" is under "/weather/".
        return scope.hasSuffix("/") && path == String(scope.dropLast())
    }
}
