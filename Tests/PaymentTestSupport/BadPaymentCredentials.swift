import ByteEncoding
import L402

/// A broken or hostile `Payment` credential and the problem type a server must answer it with.
public struct BadPaymentCredential: Sendable, CustomStringConvertible {
    /// What is wrong with it, for failure messages.
    public var name: String
    /// The whole header value (`Payment …`).
    public var header: String
    /// The draft's problem type it must get.
    public var problem: PaymentProblemKind

    /// A named bad header and the problem it must get.
    public init(_ name: String, _ header: String, _ problem: PaymentProblemKind) {
        self.name = name
        self.header = header
        self.problem = problem
    }

    /// The name, so failure messages say which credential it was.
    public var description: String { name }
}

/// The table of malformed and hostile `Payment` credentials, built around one good credential so
/// most are "almost right". Shared by the verifier's unit tests and the gateway's end-to-end ones,
/// so both refuse the very same list.
public enum BadPaymentCredentials {
    /// Variants of `good` (a credential the server would accept) that must each be refused with
    /// their problem type, by any server, at any time. Every one is a `Payment` header: cases that
    /// depend on the server's state or clock (replays, expiry, another paid invoice) are the
    /// caller's to add.
    public static func variants(of good: PaymentCredential) throws -> [BadPaymentCredential] {
        let challenge = good.challenge
        let preimage = try good.lightningPreimage()
        let preimageHex = Hex.encode(preimage)
        func b64(_ text: String) -> String { "Payment " + Base64URL.encode(Array(text.utf8)) }
        func edited(_ path: [String], _ value: JSONValue?) -> String {
            PaymentCredential.header(editing: good) { $0.set(path, to: value) }
        }
        var foreign = challenge
        foreign.id = ChallengeBinding(secret: ChallengeBinding.randomSecret()).id(for: challenge)
        var cheaper = try LightningChargeRequest(encoded: challenge.request)
        cheaper.amountSats = 1
        let malformed = PaymentProblemKind.malformedCredential
        return [
            BadPaymentCredential("scheme only", "Payment", malformed),
            BadPaymentCredential("scheme and space", "Payment ", malformed),
            BadPaymentCredential("not base64url", "Payment !!!invalid!!!", malformed),
            BadPaymentCredential("standard alphabet", "Payment a+b/", malformed),
            BadPaymentCredential("non-zero trailing bits", "Payment AB", malformed),
            BadPaymentCredential("wrong padding", "Payment abc==", malformed),
            BadPaymentCredential("two tokens", "Payment abc def", malformed),
            BadPaymentCredential("not JSON", b64("not json"), malformed),
            BadPaymentCredential("JSON array", b64("[]"), malformed),
            BadPaymentCredential("JSON string", b64("\"x\""), malformed),
            BadPaymentCredential("JSON number", b64("402"), malformed),
            BadPaymentCredential("empty object", b64("{}"), malformed),
            BadPaymentCredential("trailing bytes after JSON", b64(good.json.canonicalString + "x"), malformed),
            BadPaymentCredential("duplicate member", b64(#"{"payload":{},"payload":{}}"#), malformed),
            BadPaymentCredential("deep nesting", b64(String(repeating: "[", count: 200)), malformed),
            BadPaymentCredential("lone surrogate", b64(#"{"challenge":"\ud800"}"#), malformed),
            BadPaymentCredential("invalid UTF-8", "Payment " + Base64URL.encode([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), malformed),
            BadPaymentCredential("missing challenge", edited(["challenge"], nil), malformed),
            BadPaymentCredential("challenge not an object", edited(["challenge"], .string("x")), malformed),
            BadPaymentCredential("missing challenge.id", edited(["challenge", "id"], nil), malformed),
            BadPaymentCredential("empty challenge.id", edited(["challenge", "id"], .string("")), malformed),
            BadPaymentCredential("missing challenge.realm", edited(["challenge", "realm"], nil), malformed),
            BadPaymentCredential("missing challenge.method", edited(["challenge", "method"], nil), malformed),
            BadPaymentCredential("missing challenge.intent", edited(["challenge", "intent"], nil), malformed),
            BadPaymentCredential("missing challenge.request", edited(["challenge", "request"], nil), malformed),
            BadPaymentCredential("realm is a number", edited(["challenge", "realm"], .number(1)), malformed),
            BadPaymentCredential("expires is null", edited(["challenge", "expires"], .null), malformed),
            BadPaymentCredential("source is an object", edited(["source"], .object([])), malformed),
            BadPaymentCredential("missing payload", edited(["payload"], nil), malformed),
            BadPaymentCredential("payload an array", edited(["payload"], .array([])), malformed),
            BadPaymentCredential("missing preimage", edited(["payload", "preimage"], nil), malformed),
            BadPaymentCredential("empty preimage", edited(["payload", "preimage"], .string("")), malformed),
            BadPaymentCredential("preimage a number", edited(["payload", "preimage"], .number(7)), malformed),
            BadPaymentCredential("preimage 63 digits", edited(["payload", "preimage"], .string(String(preimageHex.dropLast()))), malformed),
            BadPaymentCredential("preimage 66 digits", edited(["payload", "preimage"], .string(preimageHex + "00")), malformed),
            BadPaymentCredential("preimage of 16 bytes", edited(["payload", "preimage"], .string(String(preimageHex.prefix(32)))), malformed),
            BadPaymentCredential("preimage uppercase", edited(["payload", "preimage"], .string(preimageHex.uppercased())), malformed),
            BadPaymentCredential("preimage 0x-prefixed", edited(["payload", "preimage"], .string("0x" + preimageHex.dropLast(2))), malformed),
            BadPaymentCredential("preimage not hex", edited(["payload", "preimage"], .string(String(repeating: "zz", count: 32))), malformed),
            BadPaymentCredential("100 KB value", "Payment " + String(repeating: "A", count: 100_000), malformed),
            BadPaymentCredential("unsupported method", edited(["challenge", "method"], .string("tempo")), .methodUnsupported),
            BadPaymentCredential("unsupported intent", edited(["challenge", "intent"], .string("session")), .methodUnsupported),
            BadPaymentCredential("tampered request", edited(["challenge", "request"], .string(cheaper.encoded)), .invalidChallenge),
            BadPaymentCredential("tampered expires", edited(["challenge", "expires"], .string("2099-01-01T00:00:00Z")), .invalidChallenge),
            BadPaymentCredential("expires removed", edited(["challenge", "expires"], nil), .invalidChallenge),
            BadPaymentCredential("tampered realm", edited(["challenge", "realm"], .string("evil.example")), .invalidChallenge),
            BadPaymentCredential("digest added", edited(["challenge", "digest"], .string(ContentDigest.sha256(Array("x".utf8)))), .invalidChallenge),
            BadPaymentCredential("foreign id (another secret)", PaymentCredential(challenge: foreign, preimage: preimage).headerValue, .invalidChallenge),
            BadPaymentCredential("wrong preimage", PaymentCredential(challenge: challenge, preimage: Array(repeating: 7, count: 32)).headerValue, .verificationFailed),
        ]
    }
}

extension PaymentCredential {
    /// The header with the decoded JSON changed by `edit` (and re-encoded), for tampering tests.
    public static func header(editing credential: PaymentCredential, _ edit: (inout [(String, JSONValue)]) -> Void) -> String {
        guard case .object(var members) = credential.json else { return "" }
        edit(&members)
        return "Payment " + JSONValue.object(members).canonicalBase64URL
    }
}

extension Array where Element == (String, JSONValue) {
    /// Sets (or adds, or with nil removes) `name` in the nested object `path`.
    public mutating func set(_ path: [String], to value: JSONValue?) {
        guard let first = path.first else { return }
        let index = firstIndex { $0.0 == first }
        if path.count == 1 {
            if let index { if let value { self[index].1 = value } else { remove(at: index) } } else if let value { append((first, value)) }
            return
        }
        guard let index, case .object(var inner) = self[index].1 else { return }
        inner.set([String](path.dropFirst()), to: value)
        self[index].1 = .object(inner)
    }
}
