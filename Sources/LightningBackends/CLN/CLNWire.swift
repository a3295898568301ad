import Bolt11
import Foundation
import Lightning

// Core Lightning's JSON-RPC as `clnrest` carries it (CLN 24.x–25.x, `plugins/rest-plugin` and the
// `doc/schemas/*.json` of ElementsProject/lightning): `POST /v1/<method>` with the parameters as a
// JSON object, HTTP 201 with the result; errors are the JSON-RPC error object `{code, message}` with
// 401/403 (rune refused), 404 (unknown method) or 500 (the command failed). snake_case names,
// hashes and preimages in hex, amounts as integer millisatoshis.

/// `invoice` parameters.
struct CLNInvoiceRequest: Encodable {
    var amountMsat: UInt64
    var label: String
    var description: String
    var expiry: Int
}

/// `invoice` result.
struct CLNInvoiceResult: Decodable {
    var paymentHash: String
    var bolt11: String
    var expiresAt: Int64
}

/// `listinvoices` and `listpays` take the payment hash to filter on.
struct CLNByPaymentHash: Encodable {
    var paymentHash: String
}

/// `listinvoices` result.
struct CLNListInvoices: Decodable {
    struct Invoice: Decodable {
        /// `unpaid`, `paid` or `expired`.
        var status: String
        var expiresAt: Int64
    }
    var invoices: [Invoice]
}

/// `pay` parameters: `maxfee` caps the routing fee (msat), `retry_for` how long it keeps trying (s).
struct CLNPayRequest: Encodable {
    var bolt11: String
    var maxfee: UInt64
    var retryFor: Int
}

/// `pay` result.
struct CLNPayResult: Decodable {
    var paymentHash: String
    var paymentPreimage: String?
    /// `complete`, `pending` or `failed`.
    var status: String
    var amountMsat: Int64?
    var amountSentMsat: Int64?
}

/// `listpays` result: one entry per payment attempt group of this hash.
struct CLNListPays: Decodable {
    struct Pay: Decodable {
        var paymentHash: String
        /// `pending`, `failed` or `complete`.
        var status: String
        var preimage: String?
        var amountMsat: Int64?
        var amountSentMsat: Int64?
    }
    var pays: [Pay]
}

/// `getinfo` result.
struct CLNGetInfo: Decodable {
    var id: String
    var alias: String?
    var network: String
}

/// The JSON-RPC error object clnrest answers with.
struct CLNRPCError: Decodable {
    var code: Int?
    var message: String?
}

/// The coders for CLN's JSON: snake_case names.
enum CLNJSON {
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

/// Turns clnrest's error answers into `LightningError`s, by HTTP status and JSON-RPC code.
enum CLNErrorMapping {
    static func error(httpStatus: Int, body: CLNRPCError?, method: String) -> LightningError {
        let message = String((body?.message ?? "").prefix(300))
        let code = body?.code
        // 1501-1599: rune refusals (missing, not authorized, not permitted for this method).
        if httpStatus == 401 || httpStatus == 403 || (code.map { (1501...1599).contains($0) } ?? false) {
            return .unauthorized(message.isEmpty ? "HTTP \(httpStatus)" : message)
        }
        switch code {
        case 200?: return .paymentInFlight                      // PAY_IN_PROGRESS
        case 201?: return .alreadyPaid                          // PAY_RHASH_ALREADY_USED
        case 205?, 206?: return .noRoute                        // PAY_ROUTE_NOT_FOUND, PAY_ROUTE_TOO_EXPENSIVE
        case 207?: return .invoiceExpired                       // PAY_INVOICE_EXPIRED
        case 203?, 209?, 210?: return .paymentFailed(message)   // destination refused, unspecified, stopped retrying
        case .some(-32602) where method == "pay": return .invalidInvoice(message)
        case .some(-32601): return .backend("\(method) is not available on this node (HTTP \(httpStatus)): \(message)")
        default:
            return .backend("\(method): HTTP \(httpStatus)\(code.map { " code \($0)" } ?? "")\(message.isEmpty ? "" : ": \(message)")")
        }
    }

    /// CLN's `network` name as a BOLT-11 network.
    static func network(_ name: String) -> Network? {
        switch name {
        case "bitcoin": .bitcoin
        case "testnet", "testnet4": .testnet
        case "signet": .signet
        case "regtest": .regtest
        default: nil
        }
    }
}
