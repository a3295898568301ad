/// Why a Lightning operation failed. Messages never contain preimages or macaroons.
public enum LightningError: Error, Equatable, CustomStringConvertible {
    /// The node could not be reached (connection refused, TLS handshake failed, timeout).
    case unreachable(String)
    /// The node refused our credentials (HTTP 401/403, LND "permission denied", a wrong macaroon,
    /// password, rune or API key).
    case unauthorized(String)
    /// Our node does not have enough outbound balance to pay.
    case insufficientBalance
    /// No route to the payee was found within the fee limit.
    case noRoute
    /// The node knows no invoice with this payment hash.
    case invoiceNotFound
    /// The invoice has already been paid.
    case alreadyPaid
    /// A payment of this invoice is already on its way (LND: "payment is in transition"): paying
    /// again could pay twice; look the payment up with `LightningNode.paymentStatus(paymentHash:)`.
    case paymentInFlight
    /// The invoice is past its expiry.
    case invoiceExpired
    /// The dev node was asked to pay an invoice it did not issue (it can only settle its own).
    case notOwnInvoice
    /// The payment request is not a valid BOLT-11 invoice, or is unusable (e.g. for another network).
    case invalidInvoice(String)
    /// The payment failed for another reason reported by the node (timeout, incorrect payment details, ...).
    case paymentFailed(String)
    /// The node returned an error we do not map more precisely.
    case backend(String)
    /// The node's answer did not have the documented shape.
    case malformedResponse(String)
    /// The node is misconfigured (missing URL, unreadable macaroon or certificate).
    case configuration(String)

    public var description: String {
        switch self {
        case .unreachable(let detail): "Lightning node unreachable: \(detail)"
        case .unauthorized(let detail): "Lightning node refused our credentials (check the macaroon, password, rune or key): \(detail)"
        case .insufficientBalance: "payment failed: insufficient balance in our channels"
        case .noRoute: "payment failed: no route to the payee within the fee limit"
        case .invoiceNotFound: "invoice not found on this node"
        case .alreadyPaid: "invoice already paid"
        case .paymentInFlight: "a payment of this invoice is already in flight"
        case .invoiceExpired: "invoice expired"
        case .notOwnInvoice: "the dev node can only pay invoices it issued itself"
        case .invalidInvoice(let detail): "invalid invoice: \(detail)"
        case .paymentFailed(let detail): "payment failed: \(detail)"
        case .backend(let detail): "Lightning node error: \(detail)"
        case .malformedResponse(let detail): "malformed response from the Lightning node: \(detail)"
        case .configuration(let detail): "Lightning node configuration: \(detail)"
        }
    }
}
