import ByteEncoding

/// A `Payment` credential (draft-httpauth-payment-00 §5.2): `Authorization: Payment <base64url
/// JSON {"challenge":{…echoed params…},"source"?:…,"payload":{…}}>` (or the same in
/// `Payment-Authorization`). For Lightning `charge`, the payload is `{"preimage":"<64 hex>"}`.
public struct PaymentCredential: Sendable, Equatable {
    /// The challenge the client answers, echoed unchanged.
    public var challenge: PaymentChallenge
    /// A payer identifier (a DID), never required.
    public var source: String?
    /// The method's proof, a JSON object (`lightningPreimage` reads Lightning's).
    public var payload: JSONValue

    /// A credential answering `challenge`, with the payer's optional `source` and the method's `payload`.
    public init(challenge: PaymentChallenge, source: String? = nil, payload: JSONValue) {
        self.challenge = challenge
        self.source = source
        self.payload = payload
    }

    /// A Lightning `charge` credential: `payload` is `{"preimage": "<lowercase hex>"}`.
    public init(challenge: PaymentChallenge, preimage: [UInt8], source: String? = nil) {
        self.init(challenge: challenge, source: source, payload: .object([("preimage", .string(Hex.encode(preimage)))]))
    }

    /// The JSON object sent.
    public var json: JSONValue {
        let echo = JSONValue.object(dropping: challenge.parameters.map { ($0.0, JSONValue.string($0.1)) })
        return .object(dropping: [("challenge", echo), ("source", source.map(JSONValue.string)), ("payload", payload)])
    }

    /// The header value: `Payment <base64url of the canonical JSON>`.
    public var headerValue: String { "Payment " + json.canonicalBase64URL }

    /// Longest header value read; longer ones are refused before any decoding.
    public static let maximumHeaderLength = 8 * 1024

    /// Reads an `Authorization` (or `Payment-Authorization`) value strictly: scheme `Payment` in
    /// any case, one space or more, one base64url token (padding tolerated), decoding to a JSON
    /// object with a `challenge` object holding non-empty string `id`, `realm`, `method`, `intent`
    /// and `request` (optional ones strings when present), an optional string `source`, and a
    /// `payload` object. Never traps; every refusal says what is wrong.
    public init(parsing headerValue: String) throws(PaymentCredentialError) {
        let length = headerValue.utf8.count
        guard length <= Self.maximumHeaderLength else { throw .tooLong(length) }
        let utf8 = Array(headerValue.utf8)
        let schemeEnd = utf8.firstIndex(of: UInt8(ascii: " ")) ?? utf8.count
        let scheme = String(decoding: utf8[..<schemeEnd], as: UTF8.self)
        guard scheme.lowercased() == "payment" else { throw .notPaymentScheme }
        var tokenStart = schemeEnd
        while tokenStart < utf8.count, utf8[tokenStart] == UInt8(ascii: " ") { tokenStart += 1 }
        var tokenEnd = utf8.count
        while tokenEnd > tokenStart, utf8[tokenEnd - 1] == UInt8(ascii: " ") || utf8[tokenEnd - 1] == UInt8(ascii: "\t") { tokenEnd -= 1 }
        guard tokenStart < tokenEnd, tokenStart > schemeEnd else { throw .missingToken }
        let token = String(decoding: utf8[tokenStart..<tokenEnd], as: UTF8.self)
        let bytes: [UInt8]
        do { bytes = try Base64URL.decode(token) } catch { throw .notBase64URL(error) }
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) } catch { throw .notJSON(error) }
        try self.init(json: json)
    }

    /// Reads the decoded JSON (see `init(parsing:)`).
    public init(json: JSONValue) throws(PaymentCredentialError) {
        guard json.objectMembers != nil else { throw .notAnObject }
        guard let echo = json["challenge"] else { throw .missingField("challenge") }
        guard echo.objectMembers != nil else { throw .wrongType("challenge", expected: "an object") }
        func field(_ name: String, required: Bool) throws(PaymentCredentialError) -> String? {
            guard let value = echo[name] else {
                if required { throw .missingField("challenge.\(name)") }
                return nil
            }
            guard let text = value.stringValue else { throw .wrongType("challenge.\(name)", expected: "a string") }
            if required && text.isEmpty { throw .missingField("challenge.\(name)") }
            return text
        }
        let challenge = PaymentChallenge(
            id: try field("id", required: true)!, realm: try field("realm", required: true)!,
            method: try field("method", required: true)!, intent: try field("intent", required: true)!,
            request: try field("request", required: true)!, expires: try field("expires", required: false),
            digest: try field("digest", required: false), description: try field("description", required: false),
            opaque: try field("opaque", required: false))
        var source: String?
        if let value = json["source"] {
            guard let text = value.stringValue else { throw .wrongType("source", expected: "a string") }
            source = text
        }
        guard let payload = json["payload"] else { throw .missingField("payload") }
        guard payload.objectMembers != nil else { throw .wrongType("payload", expected: "an object") }
        self.init(challenge: challenge, source: source, payload: payload)
    }

    /// The Lightning `charge` preimage: `payload.preimage`, exactly 64 lowercase hex digits.
    public func lightningPreimage() throws(PaymentCredentialError) -> [UInt8] {
        guard let value = payload["preimage"] else { throw .missingField("payload.preimage") }
        guard let hex = value.stringValue else { throw .wrongType("payload.preimage", expected: "a string") }
        guard let preimage = LowercaseHex.decode32(hex) else { throw .invalidPreimage(length: hex.utf8.count) }
        return preimage
    }
}

/// Why a header is not a `Payment` credential. Maps to the `malformed-credential` problem.
public enum PaymentCredentialError: Error, Equatable, CustomStringConvertible {
    /// The header is longer than this many bytes.
    case tooLong(Int)
    /// The scheme is not `Payment`.
    case notPaymentScheme
    /// Nothing follows the scheme.
    case missingToken
    /// The token is not base64url.
    case notBase64URL(Base64URL.DecodingError)
    /// The token is not JSON.
    case notJSON(JSONParseError)
    /// Its JSON is not an object.
    case notAnObject
    /// A required field is missing.
    case missingField(String)
    /// A field has the wrong JSON type (the expected one named).
    case wrongType(String, expected: String)
    /// Not 64 lowercase hex digits (`length` characters were sent; the value is never echoed).
    case invalidPreimage(length: Int)

    public var description: String {
        switch self {
        case .tooLong(let n): "credential is \(n) bytes; the limit is \(PaymentCredential.maximumHeaderLength)"
        case .notPaymentScheme: "credential scheme is not Payment"
        case .missingToken: "credential has no token after the Payment scheme"
        case .notBase64URL(let error): "credential is not base64url: \(error)"
        case .notJSON(let error): "credential is not JSON: \(error)"
        case .notAnObject: "credential JSON is not an object"
        case .missingField(let name): "credential lacks \(name)"
        case .wrongType(let name, let expected): "credential's \(name) is not \(expected)"
        case .invalidPreimage(let length): "credential's payload.preimage is not 64 lowercase hex digits (\(length) characters)"
        }
    }
}
