/// Why a credential was refused. Each case has a stable snake_case `code` for JSON bodies and an
/// HTTP status. Messages never contain root keys, preimages or whole macaroons.
public enum AuthenticationFailure: Error, Equatable, CustomStringConvertible {
    /// The Authorization header is not a well-formed L402 credential (see `CredentialError`).
    case malformed(String)
    /// No root key is stored for the token id (never minted here, revoked, or collected).
    case unknownToken
    /// The HMAC chain does not verify: forged or tampered macaroon.
    case badSignature
    /// SHA-256 of the preimage is not the payment hash: the invoice was not paid (by this caller).
    case wrongPreimage
    /// An `expires_at` or `<tool>_valid_until` caveat has passed.
    case expired
    /// A `tool` or `services` caveat names other tools.
    case wrongTool
    /// A `method`, `path_prefix` or `<tool>_capabilities` caveat does not admit this request.
    case notAllowed(String)
    /// A caveat whose key this server does not know (fail closed), or a third-party caveat.
    case unknownCaveat(String)
    /// A known caveat key with a value that does not parse.
    case invalidCaveat(String)
    /// The token's calls are used up.
    case spent
    /// The secret or usage store failed; the request may be retried.
    case storeUnavailable(String)

    /// Stable machine-readable code, for the `error` member of JSON error bodies.
    public var code: String {
        switch self {
        case .malformed: "malformed_credential"
        case .unknownToken: "unknown_token"
        case .badSignature: "bad_signature"
        case .wrongPreimage: "wrong_preimage"
        case .expired: "token_expired"
        case .wrongTool: "wrong_tool"
        case .notAllowed: "not_allowed"
        case .unknownCaveat: "unknown_caveat"
        case .invalidCaveat: "invalid_caveat"
        case .spent: "token_spent"
        case .storeUnavailable: "store_unavailable"
        }
    }

    /// 401 for a credential that is not acceptable, 402 for a valid one whose calls are used up
    /// (pay again), 503 when the store failed.
    public var httpStatus: Int {
        switch self {
        case .spent: 402
        case .storeUnavailable: 503
        default: 401
        }
    }

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed credential: \(reason)"
        case .unknownToken: "unknown token (never issued here, revoked, or expired unpaid)"
        case .badSignature: "macaroon signature does not verify (forged or tampered)"
        case .wrongPreimage: "the preimage does not match the payment hash of the macaroon"
        case .expired: "the token has expired"
        case .wrongTool: "the token is not valid for this tool"
        case .notAllowed(let reason): "the token does not allow this request: \(reason)"
        case .unknownCaveat(let key): "unknown caveat \(key.debugDescription) (unknown caveats are refused)"
        case .invalidCaveat(let reason): "invalid caveat: \(reason)"
        case .spent: "the token's calls are used up; pay a new invoice"
        case .storeUnavailable(let reason): "token store unavailable: \(reason)"
        }
    }
}
