import Foundation

/// Why the client did not complete a request. In every case but `paymentFailed` (and
/// `transport` after a payment), no payment was made.
public enum L402ClientError: Error, Equatable, CustomStringConvertible {
    /// The URL is not an absolute http(s) URL.
    case invalidURL(String)
    /// Sending the request or reading the answer failed.
    case transport(String)
    /// The budget does not allow the price: nothing paid.
    case overBudget(BudgetError)
    /// The 402 carried no challenge we can read (headers and JSON body): nothing paid.
    case malformedChallenge(String)
    /// The invoice asks for a different amount than the challenge states: nothing paid.
    case amountMismatch(invoiceSats: UInt64, challengeSats: UInt64)
    /// The invoice has no amount: nothing paid (the server could take anything).
    case amountlessInvoice
    /// The invoice pays a different payment hash than the macaroon's identifier (or the body's
    /// `payment_hash`): the preimage would not unlock this macaroon. Nothing paid.
    case paymentHashMismatch
    /// The invoice (or the token it buys) has already expired: nothing paid.
    case expired(String)
    /// The invoice is not a valid BOLT-11 invoice: nothing paid.
    case invalidInvoice(String)
    /// The invoice is for another network than the client's (or than the challenge states): nothing paid.
    case wrongNetwork(invoice: String, expected: String)
    /// The invoice pays another node than the pinned payee (hex): nothing paid.
    case unexpectedPayee(String)
    /// A payment is required but this client has no wallet (e.g. a sub-agent with a delegated token).
    case noWallet
    /// The wallet failed to pay, or returned a preimage that does not match the invoice.
    case paymentFailed(String)
    /// The token cache could not be read or written.
    case cache(TokenCacheError)
    /// An earlier payment for this request (pending token `tokenID`) is still in flight: nothing new
    /// was paid, since paying afresh could pay for the request twice. Retry later; it is resumed then.
    case paymentInFlight(tokenID: String)

    public var description: String {
        switch self {
        case .invalidURL(let url): "not an absolute http(s) URL: \(url)"
        case .transport(let detail): "request failed: \(detail)"
        case .overBudget(let error): error.description
        case .malformedChallenge(let detail): "malformed payment challenge: \(detail)"
        case .amountMismatch(let invoice, let challenge):
            "refusing to pay: the invoice asks \(invoice) sats but the challenge says \(challenge) sats"
        case .amountlessInvoice: "refusing to pay: the invoice has no amount"
        case .paymentHashMismatch:
            "refusing to pay: the invoice's payment hash does not match the macaroon's identifier"
        case .expired(let detail): "refusing to pay: \(detail)"
        case .invalidInvoice(let detail): "refusing to pay: invalid invoice: \(detail)"
        case .wrongNetwork(let invoice, let expected): "refusing to pay: the invoice is for \(invoice), not \(expected)"
        case .unexpectedPayee(let payee): "refusing to pay: the invoice pays node \(payee), not the pinned payee"
        case .noWallet: "payment required, but no wallet is configured"
        case .paymentFailed(let detail): "payment failed: \(detail)"
        case .cache(let error): error.description
        case .paymentInFlight(let id):
            "an earlier payment for this request (token \(id)) is still in flight: nothing new paid, retry later"
        }
    }

    /// True when the server's challenge itself was refused (malformed, tampered, expired).
    public var isChallengeRefusal: Bool {
        switch self {
        case .malformedChallenge, .amountMismatch, .amountlessInvoice, .paymentHashMismatch, .expired, .invalidInvoice,
             .wrongNetwork, .unexpectedPayee:
            true
        default:
            false
        }
    }
}
