import Crypto
import Foundation
import _CryptoExtras

/// NIP-04 encrypted payloads (deprecated; NWC's fallback for wallet services without NIP-44):
/// AES-256-CBC keyed with the unhashed ECDH x coordinate, PKCS#7 padding,
/// written `base64(ciphertext)?iv=base64(iv)`.
public enum NIP04 {
    /// The AES key of two parties: the ECDH shared x coordinate.
    public static func sharedKey(secretKey: [UInt8], publicKey: [UInt8]) throws(NostrError) -> [UInt8] {
        guard secretKey.count == 32, NostrCurve.xOnlyPublicKey(secretKey: secretKey) != nil else { throw .invalidSecretKey }
        guard let sharedX = NostrCurve.sharedX(secretKey: secretKey, xOnlyPublicKey: publicKey) else { throw .invalidPublicKey }
        return sharedX
    }

    /// Encrypts `plaintext` with a fresh random IV.
    public static func encrypt(_ plaintext: String, sharedKey: [UInt8]) throws(NostrError) -> String {
        let iv = secureRandomBytes(16)
        do {
            let ciphertext = try AES._CBC.encrypt(Array(plaintext.utf8), using: SymmetricKey(data: sharedKey), iv: .init(ivBytes: iv))
            return ciphertext.base64EncodedString() + "?iv=" + Data(iv).base64EncodedString()
        } catch {
            throw .invalidPayload("AES-CBC: \(error)")
        }
    }

    /// Decrypts `base64(ciphertext)?iv=base64(iv)`. NIP-04 has no MAC: only the padding shows a wrong key.
    public static func decrypt(_ payload: String, sharedKey: [UInt8]) throws(NostrError) -> String {
        let parts = payload.split(separator: "?iv=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let ciphertext = Data(base64Encoded: String(parts[0])), let iv = Data(base64Encoded: String(parts[1])) else {
            throw .invalidPayload("not base64(ciphertext)?iv=base64(iv)")
        }
        guard iv.count == 16 else { throw .invalidPayload("IV is \(iv.count) bytes, not 16") }
        guard !ciphertext.isEmpty, ciphertext.count % 16 == 0 else { throw .invalidPayload("ciphertext is not whole AES blocks") }
        let plaintext: Data
        do {
            plaintext = try AES._CBC.decrypt(ciphertext, using: SymmetricKey(data: sharedKey), iv: .init(ivBytes: iv))
        } catch {
            throw .invalidPayload("AES-CBC decryption failed (wrong key or padding)")
        }
        guard let text = String(validating: [UInt8](plaintext), as: UTF8.self) else { throw .invalidPayload("plaintext is not UTF-8") }
        return text
    }
}
