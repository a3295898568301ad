import Foundation
import Hummingbird
import L402
import L402Server

/// The paywall's answers at the MCP level (draft-payment-transport-mcp): a JSON-RPC error in an
/// HTTP 200, for MCP clients that pay inside the protocol.
///
/// - `-32042` Payment Required: `data.httpStatus` 402, `data.challenges` (the IETF `Payment`
///   scheme's offer as an object, its `request` decoded), `data.problem` (the refusal's problem
///   body when a `Payment` credential was refused), and `data.l402`: the same L402 offer as an
///   HTTP 402 (`macaroon`, `invoice`, `payment_hash`, `amount_sats`, … and the `www_authenticate` values).
/// - `-32043` Payment Verification Failed: the credential did not hold (`data.error`, `data.message`).
enum MCPPaymentError {
    static let paymentRequired = -32042
    static let verificationFailed = -32043

    /// The JSON-RPC error answering the request `id` in place of the paywall's HTTP `response`; nil
    /// for answers that stay at the HTTP level (429 rate limit, 503 unavailable).
    static func response(for paywall: PaywallResponse, id: String) -> Response? {
        let body = (try? JSONSerialization.jsonObject(with: Data(paywall.body), options: [])) as? [String: Any] ?? [:]
        let error: [String: Any]
        switch paywall.status.code {
        case 402:
            let offers = paywall.headers[values: .wwwAuthenticate]
            let challenges = offers.filter(Paywall.isPaymentScheme).compactMap { try? PaymentChallenge(parsing: $0).transportJSON }
            var offer = body
            offer["www_authenticate"] = offers
            var data: [String: Any] = ["httpStatus": 402, "challenges": challenges.map(foundationObject)]
            if paywall.headers[.contentType] == PaymentProblem.contentType {
                data["problem"] = body  // a refused Payment credential: the problem says why
            } else {
                data["l402"] = offer
                data["problem"] = [
                    "type": "https://paymentauth.org/problems/payment-required", "title": "Payment Required", "status": 402,
                    "detail": body["message"] as? String ?? "Payment required for this MCP tool call.",
                ]
            }
            error = ["code": paymentRequired, "message": "Payment Required", "data": data]
        case 401:
            error = [
                "code": verificationFailed, "message": "Payment Verification Failed",
                "data": ["httpStatus": 401, "error": body["error"] ?? "invalid_credential", "message": body["message"] ?? ""],
            ]
        default:
            return nil
        }
        let message: [String: Any] = ["jsonrpc": "2.0", "id": idValue(id), "error": error]
        let bytes = (try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A JSON value as `JSONSerialization` writes it.
    static func foundationObject(_ value: L402.JSONValue) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let flag): flag
        case .number(let number): number
        case .string(let text): text
        case .array(let items): items.map(foundationObject)
        case .object(let members): Dictionary(members.map { ($0.0, foundationObject($0.1)) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The JSON value of an id key (`MCPRequestBody.idKey`).
    static func idValue(_ key: String) -> Any {
        let text = String(key.dropFirst(2))
        if key.hasPrefix("s:") { return text }
        if let integer = Int64(text) { return integer }
        return Double(text) ?? text
    }
}
