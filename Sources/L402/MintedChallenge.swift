import ByteEncoding
import Foundation
import Macaroons

/// A freshly minted challenge, ready to be sent as a 402 response.
public struct MintedChallenge: Sendable, Equatable {
    /// The token's macaroon, with the caveats of what was sold.
    public var macaroon: Macaroon
    /// The BOLT-11 invoice to pay.
    public var invoice: String
    /// 32 bytes; SHA-256 of the preimage the payer will get.
    public var paymentHash: [UInt8]
    /// The token's id (the identifier's last 32 bytes).
    public var tokenID: TokenID
    /// The invoice's amount, in sats.
    public var amountSats: UInt64
    /// Calls the token buys.
    public var calls: Int
    /// When the invoice stops being payable.
    public var expiresAt: Date
    /// When the token stops working (its `expires_at` caveat), nil when it does not expire.
    public var tokenExpiresAt: Date?
    /// The slug of the tool the token pays for.
    public var tool: String

    /// The challenge as `WWW-Authenticate` values: LSAT first, then L402.
    public var headerValues: [String] { Challenge(macaroon: macaroon, invoice: invoice).headerValues }

    /// The JSON body of the 402 response.
    public var jsonBody: ChallengeBody {
        ChallengeBody(
            macaroon: macaroon.encoded(), invoice: invoice, paymentHash: Hex.encode(paymentHash), amountSats: amountSats,
            expiresAt: ChallengeBody.rfc3339(expiresAt), tool: tool, calls: calls,
            tokenExpiresAt: tokenExpiresAt.map(ChallengeBody.rfc3339))
    }
}

/// The JSON body of a 402: what a client that reads the body instead of the headers needs.
/// `error` and `message` are set when the 402 answers a spent token.
public struct ChallengeBody: Codable, Sendable, Equatable {
    /// The macaroon, standard base64.
    public var macaroon: String
    /// The BOLT-11 invoice to pay.
    public var invoice: String
    /// Hex.
    public var paymentHash: String
    /// The invoice's amount, in sats.
    public var amountSats: UInt64
    /// RFC 3339 (UTC), when the invoice expires.
    public var expiresAt: String
    /// The slug of the tool the token pays for.
    public var tool: String
    /// Calls the token buys.
    public var calls: Int
    /// RFC 3339 (UTC), when the token expires; absent when it does not.
    public var tokenExpiresAt: String?
    /// The error code when the 402 answers a spent token (`token_spent`).
    public var error: String?
    /// What went wrong, for a person, when `error` is set.
    public var message: String?

    /// A body with these fields; `error` and `message` only for a spent token.
    public init(
        macaroon: String, invoice: String, paymentHash: String, amountSats: UInt64, expiresAt: String, tool: String, calls: Int,
        tokenExpiresAt: String? = nil, error: String? = nil, message: String? = nil
    ) {
        self.macaroon = macaroon
        self.invoice = invoice
        self.paymentHash = paymentHash
        self.amountSats = amountSats
        self.expiresAt = expiresAt
        self.tool = tool
        self.calls = calls
        self.tokenExpiresAt = tokenExpiresAt
        self.error = error
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case macaroon, invoice, tool, calls, error, message
        case paymentHash = "payment_hash", amountSats = "amount_sats", expiresAt = "expires_at"
        case tokenExpiresAt = "token_expires_at"
    }

    /// `2026-11-25T06:40:00Z`.
    static func rfc3339(_ date: Date) -> String { date.formatted(.iso8601) }
}
