import CSecp256k1

/// The calls into libsecp256k1 that invoices need. All curve arithmetic happens in the library.
enum Secp256k1 {
    /// One context for the whole process: created and randomized once, then only read,
    /// which libsecp256k1 documents as safe from any number of threads.
    private final class Context: @unchecked Sendable {
        let pointer: OpaquePointer
        init() {
            pointer = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))!
            var seed = [UInt8](repeating: 0, count: 32)
            var generator = SystemRandomNumberGenerator()
            for i in seed.indices { seed[i] = generator.next() }
            _ = secp256k1_context_randomize(pointer, seed)
        }
    }

    private static let shared = Context()
    static var context: OpaquePointer { shared.pointer }

    /// Whether `key` is 32 bytes, non-zero and below the curve order.
    static func isValidPrivateKey(_ key: [UInt8]) -> Bool {
        key.count == 32 && secp256k1_ec_seckey_verify(context, key) == 1
    }

    /// The 33-byte compressed public key of a valid private key.
    static func publicKey(privateKey: [UInt8]) throws(Bolt11Error) -> [UInt8] {
        guard isValidPrivateKey(privateKey) else { throw .invalidPrivateKey }
        var point = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_create(context, &point, privateKey) == 1 else { throw .invalidPrivateKey }
        return serialize(point)
    }

    /// Whether `key` is a valid compressed or uncompressed point on the curve.
    static func isValidPublicKey(_ key: [UInt8]) -> Bool {
        var point = secp256k1_pubkey()
        return !key.isEmpty && secp256k1_ec_pubkey_parse(context, &point, key, key.count) == 1
    }

    /// Deterministic (RFC 6979) recoverable ECDSA signature of a 32-byte digest: 64 bytes R||S, recovery id.
    static func signRecoverable(digest: [UInt8], privateKey: [UInt8]) throws(Bolt11Error) -> (signature: [UInt8], recoveryId: UInt8) {
        precondition(digest.count == 32, "digest must be 32 bytes")
        guard isValidPrivateKey(privateKey) else { throw .invalidPrivateKey }
        var signature = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_sign_recoverable(context, &signature, digest, privateKey, nil, nil) == 1 else {
            throw .invalidPrivateKey
        }
        var compact = [UInt8](repeating: 0, count: 64)
        var recoveryId: Int32 = 0
        _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &compact, &recoveryId, &signature)
        return (compact, UInt8(recoveryId))
    }

    /// The compressed public key that produced `signature` (64 bytes R||S) over `digest`.
    ///
    /// High-S signatures are accepted, as BOLT-11 requires for recovery: S is first brought to its
    /// low form and the recovery id kept, which is how the spec's high-S example recovers its payee.
    static func recoverPublicKey(signature: [UInt8], recoveryId: UInt8, digest: [UInt8]) throws(Bolt11Error) -> [UInt8] {
        guard recoveryId <= 3 else { throw .invalidRecoveryId(recoveryId) }
        var plain = secp256k1_ecdsa_signature()
        guard signature.count == 64, digest.count == 32,
              secp256k1_ecdsa_signature_parse_compact(context, &plain, signature) == 1
        else { throw .invalidSignature }
        var lowS = secp256k1_ecdsa_signature()
        _ = secp256k1_ecdsa_signature_normalize(context, &lowS, &plain)
        var compact = [UInt8](repeating: 0, count: 64)
        _ = secp256k1_ecdsa_signature_serialize_compact(context, &compact, &lowS)
        var parsed = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(context, &parsed, compact, Int32(recoveryId)) == 1
        else { throw .invalidSignature }
        var point = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(context, &point, &parsed, digest) == 1 else { throw .signatureNotRecoverable }
        return serialize(point)
    }

    /// Checks `signature` (64 bytes R||S) over `digest` against `publicKey`; high-S signatures are rejected.
    static func verify(signature: [UInt8], digest: [UInt8], publicKey: [UInt8]) throws(Bolt11Error) {
        var point = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(context, &point, publicKey, publicKey.count) == 1 else { throw .invalidPayeeKey }
        var parsed = secp256k1_ecdsa_signature()
        guard signature.count == 64, digest.count == 32,
              secp256k1_ecdsa_signature_parse_compact(context, &parsed, signature) == 1
        else { throw .invalidSignature }
        // normalize returns 1 when the input was high-S (it only reports here: the output is discarded).
        guard secp256k1_ecdsa_signature_normalize(context, nil, &parsed) == 0 else { throw .highSSignature }
        guard secp256k1_ecdsa_verify(context, &parsed, digest, &point) == 1 else { throw .invalidSignature }
    }

    private static func serialize(_ point: secp256k1_pubkey) -> [UInt8] {
        var point = point
        var out = [UInt8](repeating: 0, count: 33)
        var length = 33
        _ = secp256k1_ec_pubkey_serialize(context, &out, &length, &point, UInt32(SECP256K1_EC_COMPRESSED))
        return out
    }
}
