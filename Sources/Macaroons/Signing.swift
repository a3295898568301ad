import Crypto

/// The HMAC-SHA256 chain shared by every macaroon implementation.
enum Signing {
    /// The fixed key libmacaroons uses to turn a root key of any length into a 32-byte signing key.
    private static let keyGeneratorKey = SymmetricKey(data: Array("macaroons-key-generator".utf8))

    /// `HMAC(HMAC("macaroons-key-generator", rootKey), identifier)`.
    static func initialSignature(rootKey: [UInt8], identifier: [UInt8]) -> [UInt8] {
        let derived = HMAC<SHA256>.authenticationCode(for: rootKey, using: keyGeneratorKey)
        return mac(key: Array(derived), identifier)
    }

    /// The next signature after a first-party caveat: `HMAC(signature, predicate)`.
    static func chain(_ signature: [UInt8], firstParty identifier: [UInt8]) -> [UInt8] {
        mac(key: signature, identifier)
    }

    /// The next signature after a third-party caveat:
    /// `HMAC(signature, HMAC(signature, vid) || HMAC(signature, cid))` (libmacaroons' hash2).
    static func chain(_ signature: [UInt8], verificationId: [UInt8], identifier: [UInt8]) -> [UInt8] {
        mac(key: signature, mac(key: signature, verificationId) + mac(key: signature, identifier))
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

    private static func mac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
}
