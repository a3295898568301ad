/// One `WWW-Authenticate: Payment` challenge (draft-httpauth-payment-00 §5.1): its auth-params as
/// they travel. The same fields, echoed by the client, are the `challenge` of a credential.
///
/// `request` and `opaque` are kept as the wire strings: the binding (`ChallengeBinding`) hashes
/// them as sent, and a re-encoding could differ.
public struct PaymentChallenge: Sendable, Equatable {
    /// The binding of the other parameters (`ChallengeBinding`); echoed unchanged.
    public var id: String
    /// The protection space (RFC 9110), e.g. the host.
    public var realm: String
    /// Payment method, lowercase (`lightning`).
    public var method: String
    /// Intent (`charge`).
    public var intent: String
    /// Base64url of the canonical request JSON (`LightningChargeRequest.encoded`).
    public var request: String
    /// RFC 3339 time after which the challenge may not be paid or redeemed.
    public var expires: String?
    /// RFC 9530 digest of the request body the credential must come with (`ContentDigest`).
    public var digest: String?
    /// Display text; not bound.
    public var description: String?
    /// Base64url of server correlation JSON; bound, echoed unchanged.
    public var opaque: String?

    /// A challenge with these parameters, as the draft names them.
    public init(
        id: String, realm: String, method: String, intent: String, request: String, expires: String? = nil,
        digest: String? = nil, description: String? = nil, opaque: String? = nil
    ) {
        self.id = id
        self.realm = realm
        self.method = method
        self.intent = intent
        self.request = request
        self.expires = expires
        self.digest = digest
        self.description = description
        self.opaque = opaque
    }

    /// The method this project implements.
    public static let lightning = "lightning"
    /// The intent this project implements.
    public static let charge = "charge"

    /// The parameters in the order written, absent optional ones left out: what a credential echoes.
    public var parameters: [(String, String)] {
        [("id", id), ("realm", realm), ("method", method), ("intent", intent), ("request", request)]
            + [("expires", expires), ("digest", digest), ("description", description), ("opaque", opaque)]
            .compactMap { name, value in value.map { (name, $0) } }
    }

    /// The `WWW-Authenticate` value: `Payment id="…", realm="…", …`, every value a quoted-string
    /// (`"` and `\` escaped as quoted-pairs, RFC 9110 §5.6.4).
    public var headerValue: String {
        "Payment " + parameters.map { "\($0)=\(Self.quoted($1))" }.joined(separator: ", ")
    }

    static func quoted(_ value: String) -> String {
        var out = "\""
        for c in value.unicodeScalars {
            if c == "\"" || c == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(c)
        }
        return out + "\""
    }

    /// Longest `WWW-Authenticate` value read (the draft asks servers to stay under 8 KB).
    public static let maximumHeaderLength = 16 * 1024

    /// Every complete `Payment` challenge in the `WWW-Authenticate` values, in order. Scheme and
    /// parameter names in any case, values quoted or not, parameters in any order; a repeated
    /// parameter keeps its first value (a later copy cannot override what the origin set); other
    /// schemes' challenges are skipped, and so is a `Payment` challenge lacking a required
    /// parameter. Throws when none is complete: the first problem found.
    public static func parseAll(headerValues: [String]) throws(PaymentChallengeError) -> [PaymentChallenge] {
        var found: [PaymentChallenge] = []
        var firstError: PaymentChallengeError?
        for value in headerValues {
            guard value.utf8.count <= maximumHeaderLength else {
                firstError = firstError ?? .tooLong(value.utf8.count)
                continue
            }
            let challenges: [AuthChallenge]
            do {
                challenges = try AuthChallengeScanner.challenges(in: value)
            } catch {
                firstError = firstError ?? .syntax(error)
                continue
            }
            for challenge in challenges where challenge.scheme.lowercased() == "payment" {
                do { found.append(try PaymentChallenge(challenge)) } catch { firstError = firstError ?? error }
            }
        }
        guard !found.isEmpty else { throw firstError ?? .noPaymentChallenge }
        return found
    }

    /// One challenge's value (see `parseAll`); throws if it holds no complete `Payment` challenge.
    public init(parsing headerValue: String) throws(PaymentChallengeError) {
        self = try Self.parseAll(headerValues: [headerValue])[0]
    }

    private init(_ challenge: AuthChallenge) throws(PaymentChallengeError) {
        var first = [String: String]()
        for (name, value) in challenge.parameters where first[name] == nil { first[name] = value }
        func required(_ name: String) throws(PaymentChallengeError) -> String {
            guard let value = first[name], !value.isEmpty else { throw .missingParameter(name) }
            return value
        }
        self.init(
            id: try required("id"), realm: try required("realm"), method: try required("method"),
            intent: try required("intent"), request: try required("request"), expires: first["expires"],
            digest: first["digest"], description: first["description"], opaque: first["opaque"])
    }
}

/// Why `WWW-Authenticate` values hold no usable `Payment` challenge.
public enum PaymentChallengeError: Error, Equatable, CustomStringConvertible {
    /// No `Payment` challenge is among the header values.
    case noPaymentChallenge
    /// The header is longer than this many bytes.
    case tooLong(Int)
    /// The header is not `WWW-Authenticate` syntax.
    case syntax(ChallengeSyntaxError)
    /// A required parameter is missing.
    case missingParameter(String)

    public var description: String {
        switch self {
        case .noPaymentChallenge: "no Payment challenge in WWW-Authenticate"
        case .tooLong(let n): "WWW-Authenticate value is \(n) bytes; the limit is \(PaymentChallenge.maximumHeaderLength)"
        case .syntax(let error): "WWW-Authenticate is not a valid challenge list: \(error)"
        case .missingParameter(let name): "Payment challenge lacks a non-empty \(name) parameter"
        }
    }
}
