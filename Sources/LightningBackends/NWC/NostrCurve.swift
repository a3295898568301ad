import CSecp256k1

/// The calls into libsecp256k1 that Nostr needs: x-only keys, BIP-340 Schnorr signatures and the
/// unhashed ECDH x coordinate. All curve arithmetic happens in the library.
enum NostrCurve {
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

    /// The 32-byte x-only public key (BIP-340) of a secret key; nil for zero or out-of-range scalars.
    static func xOnlyPublicKey(secretKey: [UInt8]) -> [UInt8]? {
        guard secretKey.count == 32 else { return nil }
        var keypair = secp256k1_keypair()
        guard secp256k1_keypair_create(context, &keypair, secretKey) == 1 else { return nil }
        var xOnly = secp256k1_xonly_pubkey()
        guard secp256k1_keypair_xonly_pub(context, &xOnly, nil, &keypair) == 1 else { return nil }
        var out = [UInt8](repeating: 0, count: 32)
        _ = secp256k1_xonly_pubkey_serialize(context, &out, &xOnly)
        return out
    }

    /// Whether `key` is 32 bytes naming a point on the curve (the x of a point with even y).
    static func isValidXOnlyPublicKey(_ key: [UInt8]) -> Bool {
        var parsed = secp256k1_xonly_pubkey()
        return key.count == 32 && secp256k1_xonly_pubkey_parse(context, &parsed, key) == 1
    }

    /// BIP-340 signature of `message` (any length) with `auxRandom` (32 bytes) as the auxiliary randomness.
    static func schnorrSign(message: [UInt8], secretKey: [UInt8], auxRandom: [UInt8]) -> [UInt8]? {
        guard secretKey.count == 32, auxRandom.count == 32 else { return nil }
        var keypair = secp256k1_keypair()
        guard secp256k1_keypair_create(context, &keypair, secretKey) == 1 else { return nil }
        var signature = [UInt8](repeating: 0, count: 64)
        let signed = auxRandom.withUnsafeBufferPointer { aux -> Int32 in
            var parameters = secp256k1_schnorrsig_extraparams()
            // SECP256K1_SCHNORRSIG_EXTRAPARAMS_MAGIC: a C macro initializer Swift cannot import.
            parameters.magic = (0xda, 0x6f, 0xb3, 0x8c)
            parameters.noncefp = nil
            parameters.ndata = UnsafeMutableRawPointer(mutating: aux.baseAddress)
            return secp256k1_schnorrsig_sign_custom(context, &signature, message, message.count, &keypair, &parameters)
        }
        return signed == 1 ? signature : nil
    }

    /// Whether `signature` (64 bytes) is a valid BIP-340 signature of `message` by `publicKey` (32-byte x-only).
    static func schnorrVerify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        var parsed = secp256k1_xonly_pubkey()
        guard signature.count == 64, publicKey.count == 32,
              secp256k1_xonly_pubkey_parse(context, &parsed, publicKey) == 1
        else { return false }
        return secp256k1_schnorrsig_verify(context, signature, message, message.count, &parsed) == 1
    }

    /// The x coordinate of `secretKey · P`, unhashed, where P is the even-y point of the x-only
    /// `publicKey`: the shared secret both NIP-04 and NIP-44 start from.
    static func sharedX(secretKey: [UInt8], xOnlyPublicKey: [UInt8]) -> [UInt8]? {
        guard secretKey.count == 32, xOnlyPublicKey.count == 32 else { return nil }
        var point = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(context, &point, [0x02] + xOnlyPublicKey, 33) == 1 else { return nil }
        var out = [UInt8](repeating: 0, count: 32)
        // The library hashes the shared point by default; this hash function hands back x as it is.
        let copyX: secp256k1_ecdh_hash_function = { output, x32, _, _ in
            guard let output, let x32 else { return 0 }
            output.update(from: x32, count: 32)
            return 1
        }
        guard secp256k1_ecdh(context, &out, &point, secretKey, copyX, nil) == 1 else { return nil }
        return out
    }
}
