import Crypto
import Foundation
import _CryptoExtras

/// NIP-44 version 2 encrypted payloads: secp256k1 ECDH, HKDF-SHA256, padding, ChaCha20 and
/// HMAC-SHA256 over nonce‖ciphertext, base64 of `0x02‖nonce‖ciphertext‖mac`.
///
/// Plaintexts are 1…65535 bytes, as the published test vectors (paulmillr/nip44) require; the
/// extended 6-byte length prefix a 2026 revision of the NIP added for longer texts is not read.
public enum NIP44 {
    /// The long-term key of two parties: HKDF-extract(salt "nip44-v2", ECDH x). Symmetric: conv(a, B) == conv(b, A).
    public static func conversationKey(secretKey: [UInt8], publicKey: [UInt8]) throws(NostrError) -> [UInt8] {
        guard secretKey.count == 32, NostrCurve.xOnlyPublicKey(secretKey: secretKey) != nil else { throw .invalidSecretKey }
        guard let sharedX = NostrCurve.sharedX(secretKey: secretKey, xOnlyPublicKey: publicKey) else { throw .invalidPublicKey }
        let key = HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: sharedX), salt: Array("nip44-v2".utf8))
        return key.withUnsafeBytes { Array($0) }
    }

    /// The per-message keys: HKDF-expand(conversation key, nonce, 76) cut into ChaCha20 key (32),
    /// ChaCha20 nonce (12) and HMAC key (32).
    public static func messageKeys(conversationKey: [UInt8], nonce: [UInt8]) throws(NostrError) -> (chachaKey: [UInt8], chachaNonce: [UInt8], hmacKey: [UInt8]) {
        guard conversationKey.count == 32 else { throw .invalidPayload("conversation key is not 32 bytes") }
        guard nonce.count == 32 else { throw .invalidPayload("nonce is not 32 bytes") }
        let expanded = HKDF<SHA256>.expand(pseudoRandomKey: conversationKey, info: nonce, outputByteCount: 76)
            .withUnsafeBytes { Array($0) }
        return (Array(expanded[0..<32]), Array(expanded[32..<44]), Array(expanded[44..<76]))
    }

    /// The padded length of a plaintext of `length` bytes: 32 at least, then chunks that grow with powers of two.
    public static func paddedLength(_ length: Int) -> Int {
        if length <= 32 { return 32 }
        let nextPower = 1 << (Int.bitWidth - (length - 1).leadingZeroBitCount)
        let chunk = nextPower <= 256 ? 32 : nextPower / 8
        return chunk * ((length - 1) / chunk + 1)
    }

    /// Encrypts `plaintext` under `conversationKey` with a fresh random nonce.
    public static func encrypt(_ plaintext: String, conversationKey: [UInt8]) throws(NostrError) -> String {
        try encrypt(plaintext, conversationKey: conversationKey, nonce: secureRandomBytes(32))
    }

    /// Encrypts with the given 32-byte nonce; only the published test vectors should choose one.
    public static func encrypt(_ plaintext: String, conversationKey: [UInt8], nonce: [UInt8]) throws(NostrError) -> String {
        let keys = try messageKeys(conversationKey: conversationKey, nonce: nonce)
        let padded = try pad(Array(plaintext.utf8))
        let ciphertext = try chacha20(padded, key: keys.chachaKey, nonce: keys.chachaNonce)
        let mac = hmac(key: keys.hmacKey, nonce: nonce, ciphertext: ciphertext)
        return Data([2] + nonce + ciphertext + mac).base64EncodedString()
    }

    /// Decrypts a payload: checks its size and version, the MAC (in constant time), then the padding.
    public static func decrypt(_ payload: String, conversationKey: [UInt8]) throws(NostrError) -> String {
        if payload.first == "#" { throw .unsupportedVersion("'#' (non-base64 encoding)") }
        // Bounds from the largest and smallest valid payloads, checked before decoding anything.
        guard payload.utf8.count >= 132, payload.utf8.count <= 87_472 else {
            throw .invalidPayload("length \(payload.utf8.count) outside 132…87472")
        }
        guard let data = Data(base64Encoded: payload) else { throw .invalidPayload("not base64") }
        let bytes = [UInt8](data)
        guard bytes.count >= 99, bytes.count <= 65_603 else { throw .invalidPayload("decoded length \(bytes.count) outside 99…65603") }
        guard bytes[0] == 2 else { throw .unsupportedVersion("\(bytes[0])") }
        let nonce = Array(bytes[1..<33])
        let ciphertext = Array(bytes[33..<(bytes.count - 32)])
        let mac = Array(bytes[(bytes.count - 32)...])
        let keys = try messageKeys(conversationKey: conversationKey, nonce: nonce)
        let expected = hmac(key: keys.hmacKey, nonce: nonce, ciphertext: ciphertext)
        guard constantTimeEqual(expected, mac) else { throw .invalidPayload("MAC does not match") }
        let padded = try chacha20(ciphertext, key: keys.chachaKey, nonce: keys.chachaNonce)
        let plaintext = try unpad(padded)
        guard let text = String(validating: plaintext, as: UTF8.self) else { throw .invalidPayload("plaintext is not UTF-8") }
        return text
    }

    /// `u16 BE length ‖ plaintext ‖ zeros` up to the padded length.
    static func pad(_ plaintext: [UInt8]) throws(NostrError) -> [UInt8] {
        guard (1...65_535).contains(plaintext.count) else { throw .invalidPlaintextLength(plaintext.count) }
        let zeros = [UInt8](repeating: 0, count: paddedLength(plaintext.count) - plaintext.count)
        return [UInt8(plaintext.count >> 8), UInt8(plaintext.count & 0xff)] + plaintext + zeros
    }

    static func unpad(_ padded: [UInt8]) throws(NostrError) -> [UInt8] {
        guard padded.count >= 2 else { throw .invalidPayload("padding") }
        let length = Int(padded[0]) << 8 | Int(padded[1])
        guard length > 0, padded.count == 2 + paddedLength(length) else { throw .invalidPayload("padding") }
        return Array(padded[2..<(2 + length)])
    }

    private static func chacha20(_ data: [UInt8], key: [UInt8], nonce: [UInt8]) throws(NostrError) -> [UInt8] {
        do {
            // NIP-44 specifies the RFC 8439 stream with the block counter starting at 0 (the default).
            return Array(try Insecure.ChaCha20CTR.encrypt(data, using: SymmetricKey(data: key), nonce: .init(data: nonce)))
        } catch {
            throw .invalidPayload("ChaCha20: \(error)")
        }
    }

    private static func hmac(key: [UInt8], nonce: [UInt8], ciphertext: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: nonce + ciphertext, using: SymmetricKey(data: key)))
    }
}

/// Compares two byte strings in time that depends only on their lengths.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for i in a.indices { difference |= a[i] ^ b[i] }
    return difference == 0
}
