import ByteEncoding
import Foundation
import Macaroons

/// A freshly minted challenge, ready to be sent as a 402 response.
public struct MintedChallenge: Sendable, Equatable {
    public var macaroon: Macaroon
    /// The BOLT-11 invoice to pay.
    public var invoice: String
    /// 32 bytes; SHA-256 of the preimage the payer will get.
    public var paymentHash: [UInt8]
    public var tokenID: TokenID
    public var amountSats: UInt64
    /// Calls the token buys.
    public var calls: Int
    /// When the invoice stops being payable.
    public var expiresAt: Date
    /// When the token stops working (its `expires_at` caveat), nil when it does not expire.
    public var tokenExpiresAt: Date?
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
    public var macaroon: String
    public var invoice: String
    /// Hex.
    public var paymentHash: String
    public var amountSats: UInt64
    /// RFC 3339 (UTC), when the invoice expires.
    public var expiresAt: String
    public var tool: String
    public var calls: Int
    /// RFC 3339 (UTC), when the token expires; absent when it does not.
    public var tokenExpiresAt: String?
    public var error: String?
    public var message: String?

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
