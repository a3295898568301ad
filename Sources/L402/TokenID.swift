import ByteEncoding
import Lightning

/// The 32-byte random identifier of one L402 token: the key under which its root key and its
/// call count are stored. It is public (it travels inside the macaroon identifier).
public struct TokenID: Hashable, Sendable, CustomStringConvertible {
    /// The 32 raw bytes.
    public let bytes: [UInt8]

    /// Why bytes or text are not a token id.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        /// The text has this many characters instead of 64.
        case wrongLength(Int)
        /// The text is not hexadecimal.
        case invalidHex(Hex.DecodingError)

        public var description: String {
            switch self {
            case .wrongLength(let n): "token id is \(n) bytes, expected 32"
            case .invalidHex(let error): "token id is not hex: \(error)"
            }
        }
    }

    /// A token id from exactly 32 bytes.
    public init(bytes: [UInt8]) throws(ParseError) {
        guard bytes.count == 32 else { throw .wrongLength(bytes.count) }
        self.bytes = bytes
    }

    /// For callers that have already checked the length.
    init(exactly32 bytes: ArraySlice<UInt8>) {
        precondition(bytes.count == 32)
        self.bytes = Array(bytes)
    }

    /// A token id from its 64-digit hex form (as shown in logs, the ledger and the admin API).
    public init(hex: String) throws(ParseError) {
        let bytes: [UInt8]
        do { bytes = try Hex.decode(hex) } catch { throw .invalidHex(error) }
        try self.init(bytes: bytes)
    }

    /// A fresh token id from the system's cryptographically secure generator.
    public static func random() -> TokenID {
        TokenID(exactly32: ArraySlice(SecureRandom.bytes(32)))
    }

    /// Lower-case hex, 64 characters.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { hex }
}
