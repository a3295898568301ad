import Crypto

/// The HMAC-SHA256 chain shared by every macaroon implementation.
///
/// Signatures stay `SHA256Digest` values (32 bytes inline, no allocation) along the chain; only the
/// results handed to callers become arrays.
enum Signing {
    /// libmacaroons' fixed key that turns a root key of any length into the 32-byte signing key.
    private static let keyGenerator = Array("macaroons-key-generator".utf8)

    /// `HMAC(HMAC("macaroons-key-generator", rootKey), identifier)`.
    static func initialSignature(rootKey: [UInt8], identifier: [UInt8]) -> [UInt8] {
        bytes(initialDigest(rootKey: rootKey, identifier: identifier))
    }

    /// The next signature after a first-party caveat: `HMAC(signature, predicate)`.
    static func chain(_ signature: [UInt8], firstParty identifier: [UInt8]) -> [UInt8] {
        bytes(HMACSHA256.authenticationCode(for: identifier, key: signature))
    }

    /// Runs the chain over `caveats` starting from the initial signature.
    static func signature(rootKey: [UInt8], identifier: [UInt8], caveats: [Caveat]) -> SHA256Digest {
        var signature = initialDigest(rootKey: rootKey, identifier: identifier)
        for caveat in caveats {
            if let vid = caveat.verificationId {
                signature = chain(signature, verificationId: vid, identifier: caveat.identifier)
            } else {
                signature = HMACSHA256.authenticationCode(for: caveat.identifier, key: signature)
            }
        }
        return signature
    }

    /// Compares a computed signature with a received one in time that depends only on their lengths.
    static func constantTimeEquals(_ a: SHA256Digest, _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                guard a.count == b.count else { return false }
                var difference: UInt8 = 0
                for index in 0..<a.count { difference |= a[index] ^ b[index] }
                return difference == 0
            }
        }
    }

    private static func initialDigest(rootKey: [UInt8], identifier: [UInt8]) -> SHA256Digest {
        let signingKey = HMACSHA256.authenticationCode(for: rootKey, key: keyGenerator)
        return HMACSHA256.authenticationCode(for: identifier, key: signingKey)
    }

    /// After a third-party caveat: `HMAC(signature, HMAC(signature, vid) || HMAC(signature, cid))`
    /// (libmacaroons' hash2).
    private static func chain(_ signature: SHA256Digest, verificationId: [UInt8], identifier: [UInt8]) -> SHA256Digest {
        let vidMAC = HMACSHA256.authenticationCode(for: verificationId, key: signature)
        let cidMAC = HMACSHA256.authenticationCode(for: identifier, key: signature)
        return HMACSHA256.authenticationCode(for: bytes(vidMAC) + bytes(cidMAC), key: signature)
    }

    private static func bytes(_ digest: SHA256Digest) -> [UInt8] {
        digest.withUnsafeBytes { Array($0) }
    }
}
