import Foundation
import HTTPTypes
import L402

/// An answer the paywall gives itself (a challenge, a refusal, an error), ready to be written by
/// any web framework: the status, the header fields and a JSON body.
public struct PaywallResponse: Sendable {
    /// The HTTP status to answer with.
    public var status: HTTPResponse.Status
    /// Includes `Content-Type` and, for a challenge, the `WWW-Authenticate` offers in order.
    public var headers: HTTPFields
    /// The JSON body.
    public var body: [UInt8]
    /// How the request was answered, for the log line and the metrics (`.refused` for answers that
    /// are not about a paid call, such as the dev endpoints').
    public var outcome: CallOutcome
    /// The error code of the body (`token_spent`, `malformed_credential`, …), if any.
    public var reason: String?
    /// The token the request named, when it could be read (public: it travels in the macaroon).
    public var tokenID: TokenID?

    /// A response whose body is `value` encoded as JSON (keys sorted, so bodies are stable).
    public static func json(
        status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:], outcome: CallOutcome = .refused, reason: String? = nil
    ) -> PaywallResponse {
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"internal","message":"could not encode the response"}"#.utf8)
        var fields = headers
        fields[.contentType] = "application/json"
        return PaywallResponse(status: status, headers: fields, body: Array(data), outcome: outcome, reason: reason)
    }

    /// `{"error": code, "message": message}`: the shape of every error the paywall answers.
    public static func error(
        status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:], outcome: CallOutcome = .refused
    ) -> PaywallResponse {
        json(status: status, ErrorBody(error: code, message: message), headers: headers, outcome: outcome, reason: code)
    }

    /// An RFC 9457 problem body (`application/problem+json`) with the problem's status: the answer to a
    /// refused `Payment` credential.
    public static func problem(_ problem: PaymentProblem, headers: HTTPFields = [:]) -> PaywallResponse {
        var fields = headers
        fields[.contentType] = PaymentProblem.contentType
        return PaywallResponse(
            status: .init(code: problem.status), headers: fields, body: problem.jsonBytes, outcome: .refused,
            reason: problem.type.split(separator: "/").last.map(String.init))
    }

    /// 503 `database_unavailable` (with `Retry-After`): nothing was charged and the client may retry unchanged.
    public static func databaseUnavailable() -> PaywallResponse {
        error(
            status: .serviceUnavailable, code: "database_unavailable",
            message: "the gateway's database is unreachable right now; retry shortly (nothing was charged)",
            headers: [.retryAfter: "1"], outcome: .unavailable)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// The JSON body of every error: a machine-readable code and a sentence for people.
public struct ErrorBody: Codable, Sendable, Equatable {
    /// The machine-readable code.
    public var error: String
    /// What went wrong, for a person.
    public var message: String

    /// A body with this code and message.
    public init(error: String, message: String) {
        self.error = error
        self.message = message
    }
}
