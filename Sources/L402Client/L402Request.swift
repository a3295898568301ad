import Foundation
import L402
import NIOHTTP1

/// A request for the `L402Client`: like an HTTP request, with an optional delegated credential.
public struct L402Request: Sendable {
    /// The URL to call.
    public var url: URL
    /// The HTTP method.
    public var method: String
    /// The request's headers (the client adds `Authorization`).
    public var headers: HTTPHeaders
    /// The body, if any.
    public var body: [UInt8]?
    /// A credential to present instead of the cache and the wallet (`<macaroon>:<preimage hex>`,
    /// as `l402 token export` prints it): how a sub-agent without a wallet uses a delegated token.
    /// A 402 or 401 is then returned as the answer; nothing is paid.
    public var credential: String?

    /// A request; `credential` overrides the cached token when given.
    public init(
        url: URL, method: String = "GET", headers: HTTPHeaders = [:], body: [UInt8]? = nil, credential: String? = nil
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.credential = credential
    }
}

/// The server's final answer, and what the client paid to get it.
public struct L402Response: Sendable {
    /// The HTTP status of the final answer.
    public var status: Int
    /// Its headers.
    public var headers: HTTPHeaders
    /// Its body.
    public var body: [UInt8]
    /// Payments made while serving this request (none when a cached token was used).
    public var payments: [L402Payment]
    /// The cached token presented on the final attempt, if any (its id, scope and calls left).
    public var token: CachedToken?
    /// The server's `Payment-Receipt`, when a `Payment` credential was accepted.
    public var receipt: PaymentReceipt?

    /// A response with the payments made for it and the token used.
    public init(status: Int, headers: HTTPHeaders, body: [UInt8], payments: [L402Payment] = [], token: CachedToken? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.payments = payments
        self.token = token
    }
}

/// One payment the client made.
public struct L402Payment: Sendable, Equatable {
    /// The sats paid.
    public var amountSats: UInt64
    /// Hex; identifies the token in the cache.
    public var paymentHash: String
    /// The origin (`scheme://host:port`) paid.
    public var origin: String
    /// The scope the token is cached under.
    public var scope: String
    /// The tool the token pays for, when the challenge named one.
    public var tool: String?
    /// True when this paid a challenge saved by an earlier, interrupted run (crash recovery).
    public var resumed: Bool
    /// True when the interrupted run had already paid it and the wallet's record gave the preimage:
    /// nothing was paid now (and nothing charged to this client's budget).
    public var recovered: Bool = false
    /// `L402` or `Payment`: which scheme's challenge was paid.
    public var scheme: String = "L402"
}

/// What the client does and why, for `l402 fetch -v` and agent logs. Never carries a preimage.
public enum L402ClientEvent: Sendable {
    /// A cached token covers the request and is presented.
    case usingCachedToken(id: String, scope: String, callsLeft: Int?)
    /// The server refused a cached token (401/402): it is dropped and the request paid afresh once.
    case cachedTokenRefused(id: String, status: Int)
    /// A 402 challenge passed the checks: this is what paying it costs.
    case challengeAccepted(amountSats: UInt64, tool: String?, scope: String, calls: Int?, expiresAt: Date?)
    /// The 402 offered `offered` schemes; `chosen` is paid (see `SchemePreference`).
    case schemeChosen(chosen: String, offered: [String])
    /// The server accepted a `Payment` credential and sent this receipt (kept in the token cache).
    case receiptReceived(PaymentReceipt)
    /// A payment went through (or, when `recovered`, an interrupted run's payment was found).
    case paid(L402Payment)
    /// A challenge saved before an interrupted payment could not be completed and was dropped.
    case pendingDropped(id: String, reason: String)
}
