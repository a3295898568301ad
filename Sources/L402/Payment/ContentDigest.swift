import ByteEncoding
import Crypto

/// RFC 9530 `sha-256=:<base64>:` of a request body: a challenge's `digest` binds the credential
/// to the body it was issued for.
public enum ContentDigest {
    /// The digest of `body`.
    public static func sha256(_ body: [UInt8]) -> String {
        "sha-256=:" + Base64.encode(Array(SHA256.hash(data: body))) + ":"
    }

    /// Whether `digest` names SHA-256 of `body` (algorithm name in any case; compared in constant time).
    public static func matches(_ digest: String, body: [UInt8]) -> Bool {
        guard let equals = digest.firstIndex(of: "=") else { return false }
        let normalized = digest[..<equals].lowercased() + digest[equals...]
        return ConstantTime.equals(Array(sha256(body).utf8), Array(normalized.utf8))
    }
}
