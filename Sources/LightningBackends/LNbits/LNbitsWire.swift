import Foundation
import Lightning

// LNbits' REST API (lnbits/lnbits `core/views/payment_api.py`, `core/models/payments.py`,
// `decorators.py`, `exceptions.py`; 1.x): JSON with snake_case names, amounts in millisatoshis
// (negative for outgoing payments), hashes and preimages in hex. Errors are `{"detail": …}`:
// 401 no key, 404 "Wallet not found." for an unknown key, 403 for a key of the wrong kind,
// 520 `{"detail", "status"}` when a payment or invoice fails.

/// `CreateInvoice` for `POST /api/v1/payments`. `out` defaults to true in LNbits: an invoice must say false.
struct LNbitsCreateInvoice: Encodable {
    var out = false
    var amount: UInt64
    var unit = "sat"
    var memo: String
    var expiry: Int
}

/// `CreateInvoice` with `out: true`: pays `bolt11` (admin key only).
struct LNbitsPayInvoice: Encodable {
    var out = true
    var bolt11: String
}

/// LNbits' `Payment`, the answer of `POST /api/v1/payments` (both ways) and the `details` of a look-up.
struct LNbitsPayment: Decodable {
    var paymentHash: String
    var bolt11: String
    /// `pending`, `success` or `failed`.
    var status: String
    /// Millisatoshis; negative when the payment went out of the wallet.
    var amount: Int64
    /// Millisatoshis, negative (a fee paid).
    var fee: Int64?
    var preimage: String?
}

/// `GET /api/v1/payments/{payment_hash}`.
struct LNbitsPaymentLookup: Decodable {
    var paid: Bool
    var status: String?
    var preimage: String?
    /// Present when the key is the wallet's that holds the payment.
    var details: LNbitsPayment?
}

/// `GET /api/v1/payments/fee-reserve?invoice=…`: the most routing fee LNbits lets its funding source spend.
struct LNbitsFeeReserve: Decodable {
    var feeReserve: Int64
}

/// `GET /api/v1/wallet`.
struct LNbitsWalletInfo: Decodable {
    var name: String
}

/// An error body: `detail` is a string (or, for a 400 of request validation, a list).
struct LNbitsErrorBody: Decodable {
    var detail: String?
    var status: String?

    enum CodingKeys: String, CodingKey { case detail, status }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        detail = (try? container.decode(String.self, forKey: .detail)) ?? (container.contains(.detail) ? "invalid request" : nil)
        status = try? container.decode(String.self, forKey: .status)
    }
}

/// The coders for LNbits' JSON: snake_case names.
enum LNbitsJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

/// Turns LNbits' error answers into `LightningError`s.
enum LNbitsErrorMapping {
    static func error(httpStatus: Int, body: LNbitsErrorBody?, paying: Bool) -> LightningError {
        let detail = String((body?.detail ?? "").prefix(300))
        switch httpStatus {
        // 404 "Wallet not found." is LNbits' answer to a key it does not know.
        case 401, 403, 404 where detail.hasPrefix("Wallet not found"):
            return .unauthorized(detail.isEmpty ? "HTTP \(httpStatus)" : detail)
        case 520:
            // PaymentError / InvoiceError: `status` says what became of the payment.
            switch body?.status {
            case "success": return .alreadyPaid
            case "pending": return .paymentInFlight
            default:
                if detail.hasPrefix("Insufficient balance") { return .insufficientBalance }
                if detail.lowercased().contains("decoding failed") { return .invalidInvoice(detail) }
                return paying ? .paymentFailed(detail) : .backend("HTTP 520: \(detail)")
            }
        case 400 where paying:
            return .invalidInvoice(detail)
        default:
            return .backend("HTTP \(httpStatus)\(detail.isEmpty ? "" : ": \(detail)")")
        }
    }
}
