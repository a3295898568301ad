import Crypto

/// The HMAC-SHA256 chain shared by every macaroon implementation.
enum Signing {
    /// HMAC keyed with libmacaroons' fixed "macaroons-key-generator", which turns a root key of any
    /// length into the 32-byte signing key. Keyed once: copies of it skip the key schedule.
    private static let keyGenerator = HMAC<SHA256>(key: SymmetricKey(data: Array("macaroons-key-generator".utf8)))

    /// `HMAC(HMAC("macaroons-key-generator", rootKey), identifier)`.
    static func initialSignature(rootKey: [UInt8], identifier: [UInt8]) -> [UInt8] {
        var derivation = keyGenerator
        derivation.update(data: rootKey)
        return mac(key: SymmetricKey(data: derivation.finalize()), identifier)
    }

    /// The next signature after a first-party caveat: `HMAC(signature, predicate)`.
    static func chain(_ signature: [UInt8], firstParty identifier: [UInt8]) -> [UInt8] {
        mac(key: SymmetricKey(data: signature), identifier)
    }

    /// The next signature after a third-party caveat:
    /// `HMAC(signature, HMAC(signature, vid) || HMAC(signature, cid))` (libmacaroons' hash2).
    static func chain(_ signature: [UInt8], verificationId: [UInt8], identifier: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: signature)
        return mac(key: key, mac(key: key, verificationId) + mac(key: key, identifier))
    }

    /// Runs the chain over `caveats` starting from the initial signature.
    static func signature(rootKey: [UInt8], identifier: [UInt8], caveats: [Caveat]) -> [UInt8] {
        var signature = initialSignature(rootKey: rootKey, identifier: identifier)
        for caveat in caveats {
            if let vid = caveat.verificationId {
                signature = chain(signature, verificationId: vid, identifier: caveat.identifier)
            } else {
                signature = chain(signature, firstParty: caveat.identifier)
            }
        }
        return signature
    }

    /// Compares two byte strings in time that depends only on their lengths.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    private static func mac(key: SymmetricKey, _ message: [UInt8]) -> [UInt8] {
        HMAC<SHA256>.authenticationCode(for: message, using: key).withUnsafeBytes { Array($0) }
    }
}
