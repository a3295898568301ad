import Foundation

/// An RFC 9457 `application/problem+json` body for a refused `Payment` credential
/// (draft-httpauth-payment-00 §9): sent with a 402 and a fresh challenge.
public struct PaymentProblem: Sendable, Equatable, Codable {
    /// A URI under `https://paymentauth.org/problems/`.
    public var type: String
    /// Short, per type.
    public var title: String
    /// The HTTP status the draft gives the type.
    public var status: Int
    /// What was wrong with this credential (never the credential or the preimage).
    public var detail: String
    /// The fresh challenge's id, as the draft's examples add it.
    public var challengeID: String?

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail
        case challengeID = "challengeId"
    }

    /// A problem of this type, title, HTTP status and detail, naming the challenge when there is one.
    public init(type: String, title: String, status: Int, detail: String, challengeID: String? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.challengeID = challengeID
    }

    /// The problem for `kind`, with `detail`.
    public init(_ kind: PaymentProblemKind, detail: String, challengeID: String? = nil) {
        self.init(type: kind.typeURI, title: kind.title, status: kind.status, detail: detail, challengeID: challengeID)
    }

    /// `Content-Type` of the body.
    public static let contentType = "application/problem+json"

    /// The body bytes.
    public var jsonBytes: [UInt8] {
        JSONValue.object(dropping: [
            ("type", .string(type)), ("title", .string(title)), ("status", .number(Double(status))),
            ("detail", .string(detail)), ("challengeId", challengeID.map(JSONValue.string)),
        ]).canonicalBytes
    }
}

/// The draft's problem types (draft-httpauth-payment-00 §9.2).
public enum PaymentProblemKind: String, Sendable, CaseIterable {
    /// No credential, or none the server accepts: pay the challenge.
    case paymentRequired = "payment-required"
    /// The payment was smaller than asked.
    case paymentInsufficient = "payment-insufficient"
    /// The challenge or the payment expired.
    case paymentExpired = "payment-expired"
    /// The proof does not verify.
    case verificationFailed = "verification-failed"
    /// The credential uses a payment method the server does not take.
    case methodUnsupported = "method-unsupported"
    /// The credential cannot be parsed.
    case malformedCredential = "malformed-credential"
    /// The challenge the credential answers is not one this server issued and still honours.
    case invalidChallenge = "invalid-challenge"

    /// Where the draft's problem type URIs live.
    public static let baseURI = "https://paymentauth.org/problems/"

    /// The `type` member of the body.
    public var typeURI: String { Self.baseURI + rawValue }

    /// HTTP status the draft gives it: 402, except 400 for an unsupported method.
    public var status: Int { self == .methodUnsupported ? 400 : 402 }

    /// The `title` member of the body.
    public var title: String {
        switch self {
        case .paymentRequired: "Payment Required"
        case .paymentInsufficient: "Payment Insufficient"
        case .paymentExpired: "Payment Expired"
        case .verificationFailed: "Payment Verification Failed"
        case .methodUnsupported: "Payment Method Unsupported"
        case .malformedCredential: "Malformed Payment Credential"
        case .invalidChallenge: "Invalid Payment Challenge"
        }
    }
}
