/// Why a Nostr key, payload or event was refused.
public enum NostrError: Error, Equatable, CustomStringConvertible {
    /// A secret key that is not 32 bytes in the range 1…n-1.
    case invalidSecretKey
    /// A public key that is not 32 bytes naming a point on the curve.
    case invalidPublicKey
    /// An encrypted payload that cannot be decrypted (which check failed).
    case invalidPayload(String)
    /// A payload of an encryption version this code does not know (NIP-44 `#` or a version other than 2).
    case unsupportedVersion(String)
    /// A plaintext outside the lengths the scheme allows.
    case invalidPlaintextLength(Int)
    /// An event whose id or signature does not check out, or whose JSON is malformed.
    case invalidEvent(String)

    public var description: String {
        switch self {
        case .invalidSecretKey: "invalid secret key"
        case .invalidPublicKey: "invalid public key"
        case .invalidPayload(let why): "invalid encrypted payload: \(why)"
        case .unsupportedVersion(let what): "unsupported encryption version: \(what)"
        case .invalidPlaintextLength(let length): "plaintext length \(length) out of range"
        case .invalidEvent(let why): "invalid event: \(why)"
        }
    }
}
