import Lightning
import Foundation

// LND's REST JSON (grpc-gateway with proto field names): 64-bit integers travel as strings,
// `bytes` fields as standard base64, enums as their names. Only the fields we use are modelled;
// the rest are ignored on decode. Property names map to LND's snake_case through
// `LNDJSON`'s key strategies.

/// A proto3 int64/uint64 as LND writes it: a decimal string (a bare number is accepted too).
struct LNDInt: Codable, Sendable, Equatable {
    var value: Int64

    init(_ value: Int64) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = Int64(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a 64-bit integer: '\(text.prefix(40))'")
            }
            self.value = value
        } else {
            value = try container.decode(Int64.self)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }
}

/// `google.rpc.Status`, the body of every error answer and of `{"error": …}` stream items.
struct LNDRPCStatus: Codable, Sendable {
    var code: Int?
    var message: String?
}

/// A non-2xx body: a bare status from unary calls, or `{"error": status}` from streaming calls
/// that fail before their first message (grpc-gateway's framing).
struct LNDErrorBody: Decodable {
    var code: Int?
    var message: String?
    var error: LNDRPCStatus?

    var status: LNDRPCStatus { error ?? LNDRPCStatus(code: code, message: message) }
}

/// `lnrpc.Invoice` as sent to `POST /v1/invoices`.
struct LNDAddInvoiceRequest: Encodable {
    var value: LNDInt
    var memo: String
    var expiry: LNDInt
}

/// `lnrpc.AddInvoiceResponse`.
struct LNDAddInvoiceResponse: Decodable {
    var rHash: String
    var paymentRequest: String
}

/// `lnrpc.Invoice` as returned by `GET /v1/invoice/{r_hash_str}`.
struct LNDInvoice: Decodable {
    var state: String
    var creationDate: LNDInt
    var expiry: LNDInt
}

/// `lnrpc.PayReq` from `GET /v1/payreq/{pay_req}`; `destination` and `payment_hash` are hex strings.
struct LNDPayReq: Decodable {
    var destination: String
    var paymentHash: String
    var numMsat: LNDInt
    var timestamp: LNDInt
    var expiry: LNDInt
    var description: String
}

/// `routerrpc.SendPaymentRequest` for `POST /v2/router/send`.
struct LNDSendPaymentRequest: Encodable {
    var paymentRequest: String
    var feeLimitSat: LNDInt
    var timeoutSeconds: Int32
}

/// One item of the `/v2/router/send` stream: `{"result": Payment}` or `{"error": Status}`.
struct LNDPaymentStreamItem: Decodable {
    var result: LNDPayment?
    var error: LNDRPCStatus?
}

/// `lnrpc.Payment`; here `payment_hash` and `payment_preimage` are hex strings, not bytes.
struct LNDPayment: Decodable {
    var paymentHash: String?
    var paymentPreimage: String?
    var status: String
    var feeMsat: LNDInt?
    var failureReason: String?
}

/// `lnrpc.GetInfoResponse`.
struct LNDGetInfoResponse: Decodable {
    struct Chain: Decodable {
        var chain: String
        var network: String
    }
    var identityPubkey: String
    var alias: String
    var chains: [Chain]
}

/// The coders for LND's JSON: snake_case field names.
enum LNDJSON {
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
