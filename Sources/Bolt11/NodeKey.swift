import ByteEncoding

/// A Lightning node's secp256k1 key pair, used to sign invoices.
///
/// Its `description` shows only the public key, so a key never leaks into logs by accident.
public struct NodeKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The 32-byte secret scalar. Keep it out of logs and error messages.
    public let privateKey: [UInt8]
    /// The 33-byte compressed public key: the node id payers see.
    public let publicKey: [UInt8]

    /// A key from its 32 secret bytes; throws `Bolt11Error.invalidPrivateKey` for zero or out-of-range scalars.
    public init(privateKey: [UInt8]) throws {
        self.publicKey = try Secp256k1.publicKey(privateKey: privateKey)
        self.privateKey = privateKey
    }

    /// A fresh key from the system's cryptographically secure random number generator.
    public static func random() -> NodeKey {
        var generator = SystemRandomNumberGenerator()
        while true {
            let candidate = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Rejecting the rare out-of-range draw keeps the distribution uniform over valid keys.
            if let key = try? NodeKey(privateKey: candidate) { return key }
        }
    }

    /// Shows the public key only.
    public var description: String { "NodeKey(public: \(Hex.encode(publicKey)))" }
    public var debugDescription: String { description }
}
