import Crypto

/// Bytes from the system's cryptographically secure generator, for preimages, payment secrets, root
/// keys, token ids and labels.
public enum SecureRandom {
    /// `count` random bytes (a multiple of 8 is read without waste). swift-crypto's key generation reads
    /// the generator 8 bytes per system call, where `UInt8.random` reads 8 bytes for every byte drawn.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count > 0, "SecureRandom.bytes needs a positive count")
        return SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Array($0) }
    }
}
