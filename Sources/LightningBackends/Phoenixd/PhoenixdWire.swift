import Bolt11
import Foundation
import Lightning

// phoenixd's HTTP API (ACINQ/phoenixd `Api.kt` and `json/JsonSerializers.kt`, v0.5–0.8): form-encoded
// parameters in, camelCase JSON out; hashes and preimages as hex, amounts as numbers (sat or msat as
// the name says). Errors are plain text with an HTTP status. Only the fields we use are modelled.

/// `GeneratedInvoice`, the answer of `POST /createinvoice`.
struct PhoenixdGeneratedInvoice: Decodable {
    var paymentHash: String
    var serialized: String
}

/// `IncomingPayment`, from `GET /payments/incoming/{paymentHash}`.
struct PhoenixdIncomingPayment: Decodable {
    var paymentHash: String
    var isPaid: Bool
    var isExpired: Bool
}

/// `OutgoingPayment`, from `GET /payments/outgoingbyhash/{paymentHash}`. Pending: not paid and not
/// completed; failed: completed without being paid.
struct PhoenixdOutgoingPayment: Decodable {
    var paymentHash: String?
    var preimage: String?
    var isPaid: Bool
    /// Milliseconds since the epoch; nil while the payment is pending.
    var completedAt: Int64?
    /// Routing fees, millisatoshis.
    var fees: Int64?
}

/// `POST /payinvoice` answers HTTP 200 either way: `PaymentSent` or `PaymentFailed` (with a `reason`).
struct PhoenixdPayResult: Decodable {
    var paymentHash: String?
    var paymentPreimage: String?
    var routingFeeSat: Int64?
    var reason: String?
}

/// `NodeInfo`, from `GET /getinfo`.
struct PhoenixdNodeInfo: Decodable {
    var nodeId: String
    var chain: String
    var version: String?
}

/// Turns phoenixd's answers into `LightningError`s.
enum PhoenixdErrorMapping {
    /// A non-2xx answer: phoenixd's errors are a status and a line of text.
    static func error(status: Int, text: String, paying: Bool) -> LightningError {
        let message = String(text.prefix(300))
        switch status {
        case 401, 403:
            return .unauthorized(message.isEmpty ? "HTTP \(status)" : message)
        case 400 where paying && message.contains("invoice"):
            return .invalidInvoice(message)
        default:
            return .backend("HTTP \(status)\(message.isEmpty ? "" : ": \(message)")")
        }
    }

    /// The `reason` of a `PaymentFailed` (lightning-kmp's `FinalFailure` texts, or a part failure's).
    static func paymentFailure(reason: String) -> LightningError {
        let lowered = reason.lowercased()
        if lowered.contains("already been paid") { return .alreadyPaid }
        if lowered.contains("another payment is in progress") { return .paymentInFlight }
        if lowered.contains("not enough funds") { return .insufficientBalance }
        return .paymentFailed(String(reason.prefix(300)))
    }

    /// phoenixd's `chain` (lightning-kmp's chain name, lowercased) as a BOLT-11 network.
    static func network(chain: String) -> Network? {
        switch chain.lowercased() {
        case "mainnet": .bitcoin
        case "testnet", "testnet3", "testnet4": .testnet
        case "signet": .signet
        case "regtest": .regtest
        default: nil
        }
    }
}
