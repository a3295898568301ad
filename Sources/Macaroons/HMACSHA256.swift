import Crypto

/// HMAC-SHA256 exactly as RFC 2104 defines it, built on swift-crypto's `SHA256`.
///
/// Why not swift-crypto's `HMAC<SHA256>`: it is generic and not inlinable, so every call runs
/// unspecialised through generic metadata and `DataProtocol` regions, and its result must be
/// copied out into an array. A macaroon chain re-keys it for every caveat, so that overhead
/// was most of a verification. The compression function is still swift-crypto's (BoringSSL);
/// only the RFC 2104 construction lives here, checked against RFC 4231's vectors.
enum HMACSHA256 {
    /// SHA-256's block size `B` in RFC 2104.
    private static let blockSize = 64

    /// `H(K ^ opad || H(K ^ ipad || message))`, where `K` is `key` zero-padded to the block, or its
    /// SHA-256 digest when it is longer than the block (RFC 2104 §2).
    static func authenticationCode(for message: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer) -> SHA256Digest {
        // One buffer holds `K ^ ipad || message`, then `K ^ opad || inner digest`, so each side is one
        // SHA256 update: swift-crypto's per-call cost (exclusivity checks, context access) is paid
        // twice per MAC rather than four times.
        withUnsafeTemporaryAllocation(byteCount: blockSize + max(message.count, 32), alignment: 8) { buffer in
            let pad = UnsafeMutableRawBufferPointer(rebasing: buffer[..<blockSize])
            let tail = UnsafeMutableRawBufferPointer(rebasing: buffer[blockSize...])
            pad.initializeMemory(as: UInt8.self, repeating: 0)
            if key.count > blockSize {
                digest(key).withUnsafeBytes { pad.copyMemory(from: $0) }
            } else {
                pad.copyMemory(from: key)
            }
            xor(pad, 0x36)
            tail.copyMemory(from: message)
            let inner = digest(UnsafeRawBufferPointer(rebasing: buffer[..<(blockSize + message.count)]))
            xor(pad, 0x36 ^ 0x5c)
            inner.withUnsafeBytes { tail.copyMemory(from: $0) }
            let outer = digest(UnsafeRawBufferPointer(rebasing: buffer[..<(blockSize + 32)]))
            buffer.initializeMemory(as: UInt8.self, repeating: 0)  // key material does not outlive the call
            return outer
        }
    }

    /// The MAC of `message` under `key` (a root key, or the previous signature of a chain).
    static func authenticationCode(for message: some MACBytes, key: some MACBytes) -> SHA256Digest {
        message.withRawBytes { message in key.withRawBytes { key in authenticationCode(for: message, key: key) } }
    }

    private static func digest(_ bytes: UnsafeRawBufferPointer) -> SHA256Digest {
        var hash = SHA256()
        hash.update(bufferPointer: bytes)
        return hash.finalize()
    }

    private static func xor(_ bytes: UnsafeMutableRawBufferPointer, _ mask: UInt8) {
        for index in bytes.indices { bytes[index] ^= mask }
    }
}

/// Byte strings the macaroon chain MACs and keys with: arrays from the wire and the previous link's
/// digest. (Foundation's `ContiguousBytes` would do, but this module does not import Foundation.)
protocol MACBytes {
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R
}

extension Array: MACBytes where Element == UInt8 {
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { withUnsafeBytes(body) }
}

extension SHA256Digest: MACBytes {
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { withUnsafeBytes(body) }
}
