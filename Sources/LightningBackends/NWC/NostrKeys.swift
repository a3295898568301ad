import ByteEncoding

/// A Nostr secret key (32 bytes) with its x-only public key, as BIP-340 and NIP-01 define them.
///
/// Its `description` shows only the public key, so the secret never reaches a log by accident.
public struct NostrSecretKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The 32-byte secret scalar. Keep it out of logs and error messages.
    public let secret: [UInt8]
    /// The 32-byte x-only public key.
    public let publicKey: [UInt8]

    /// A key from its 32 secret bytes; throws `NostrError.invalidSecretKey` for zero or out-of-range scalars.
    public init(secret: [UInt8]) throws(NostrError) {
        guard let publicKey = NostrCurve.xOnlyPublicKey(secretKey: secret) else { throw .invalidSecretKey }
        self.secret = secret
        self.publicKey = publicKey
    }

    /// A fresh key from the system's cryptographically secure random number generator.
    public static func random() -> NostrSecretKey {
        while true {
            // Rejecting the rare out-of-range draw keeps the distribution uniform over valid keys.
            if let key = try? NostrSecretKey(secret: secureRandomBytes(32)) { return key }
        }
    }

    /// The public key in lowercase hex, as events and filters carry it.
    public var publicKeyHex: String { Hex.encode(publicKey) }

    /// BIP-340 signature of `message` with fresh auxiliary randomness.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        sign(message, auxRandom: secureRandomBytes(32))
    }

    /// BIP-340 signature of `message` with the given 32 bytes of auxiliary randomness (tests use the published ones).
    public func sign(_ message: [UInt8], auxRandom: [UInt8]) -> [UInt8] {
        // Signing only fails for an invalid key or aux length, both excluded by construction.
        NostrCurve.schnorrSign(message: message, secretKey: secret, auxRandom: auxRandom)!
    }

    /// Shows the public key only.
    public var description: String { "NostrSecretKey(public: \(publicKeyHex))" }
    public var debugDescription: String { description }
}

/// BIP-340 signature verification.
public enum Schnorr {
    /// Whether `signature` (64 bytes) is valid for `message` under the x-only `publicKey` (32 bytes).
    public static func isValid(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        NostrCurve.schnorrVerify(signature: signature, message: message, publicKey: publicKey)
    }
}

/// `count` bytes from the system's CSPRNG.
func secureRandomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}
