import Crypto

/// HMAC-SHA256 exactly as RFC 2104 defines it, built on swift-crypto's `SHA256`.
///
/// Why not swift-crypto's `HMAC<SHA256>`: it is generic and not inlinable, so every call runs
/// unspecialised through generic metadata and `DataProtocol` regions, and its result must be
/// copied out into an array. A macaroon chain re-keys it for every caveat, so that overhead
/// was most of a verification. The compression function is still swift-crypto's (BoringSSL);
/// only the two-line RFC 2104 construction lives here, checked against RFC 4231's vectors.
struct HMACSHA256 {
    /// SHA-256's block size `B` in RFC 2104.
    private static let blockSize = 64
    private var inner = SHA256()
    private var outer = SHA256()

    /// Keyed with `key`: a key longer than the block is hashed first, then zero-padded to the
    /// block and absorbed as `key ^ ipad` (inner) and `key ^ opad` (outer), RFC 2104 §2.
    init(key: UnsafeRawBufferPointer) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.blockSize) { pad in
            pad.initialize(repeating: 0)
            if key.count > Self.blockSize {
                var hashed = SHA256()
                hashed.update(bufferPointer: key)
                hashed.finalize().withUnsafeBytes { UnsafeMutableRawBufferPointer(pad).copyMemory(from: $0) }
            } else {
                UnsafeMutableRawBufferPointer(pad).copyMemory(from: key)
            }
            for index in pad.indices { pad[index] ^= 0x36 }
            inner.update(bufferPointer: UnsafeRawBufferPointer(pad))
            for index in pad.indices { pad[index] ^= 0x36 ^ 0x5c }
            outer.update(bufferPointer: UnsafeRawBufferPointer(pad))
            pad.update(repeating: 0)  // key material does not outlive the key schedule
        }
    }

    /// Keyed with the bytes of `key` (a root key, or the previous signature of a chain).
    init(key: some MACBytes) {
        self = key.withRawBytes { Self(key: $0) }
    }

    /// Absorbs more of the message.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        inner.update(bufferPointer: bytes)
    }

    /// Absorbs more of the message.
    mutating func update(_ bytes: some MACBytes) {
        bytes.withRawBytes { update($0) }
    }

    /// `H(key ^ opad, H(key ^ ipad, message))`. Mutating, not a copy: updating a copy of `outer` would
    /// make swift-crypto copy its context (an allocation) while this one still holds it.
    mutating func finalize() -> SHA256Digest {
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }

    /// The MAC of `message` under `key` in one call.
    static func authenticationCode(for message: some MACBytes, key: some MACBytes) -> SHA256Digest {
        var mac = HMACSHA256(key: key)
        mac.update(message)
        return mac.finalize()
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
