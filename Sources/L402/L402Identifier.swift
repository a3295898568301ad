import ByteEncoding

/// The identifier of an L402 macaroon, version 0:
/// `u16 big-endian version (0) || 32-byte payment hash || 32-byte token id` (66 bytes).
///
/// It ties the macaroon to one invoice (the payment hash the preimage must match) and to one
/// stored root key (the token id).
public struct L402Identifier: Sendable, Equatable {
    /// The only version defined so far.
    public static let currentVersion: UInt16 = 0
    /// Length of an encoded version-0 identifier.
    public static let encodedLength = 66

    /// The identifier format version; always 0 for values this library creates or accepts.
    public let version: UInt16
    /// SHA-256 of the invoice's preimage, 32 bytes.
    public let paymentHash: [UInt8]
    /// The token the root key is stored under.
    public let tokenID: TokenID

    /// Why bytes are not a version-0 L402 identifier.
    public enum DecodingError: Error, Equatable, CustomStringConvertible {
        /// The identifier has this many bytes, too few for a version.
        case tooShort(Int)
        /// The identifier's version is not 0.
        case unsupportedVersion(UInt16)
        /// A version 0 identifier with this many bytes instead of 66.
        case wrongLength(Int)
        /// The payment hash has this many bytes instead of 32.
        case wrongPaymentHashLength(Int)

        public var description: String {
            switch self {
            case .tooShort(let n): "L402 identifier is \(n) byte(s), too short to hold a version"
            case .unsupportedVersion(let v): "L402 identifier version \(v) is not supported (only version 0 is)"
            case .wrongLength(let n): "L402 identifier version 0 is \(n) bytes, expected 66"
            case .wrongPaymentHashLength(let n): "payment hash is \(n) bytes, expected 32"
            }
        }
    }

    /// A version-0 identifier for `paymentHash` (32 bytes) and `tokenID`.
    public init(paymentHash: [UInt8], tokenID: TokenID) throws(DecodingError) {
        guard paymentHash.count == 32 else { throw .wrongPaymentHashLength(paymentHash.count) }
        self.version = Self.currentVersion
        self.paymentHash = paymentHash
        self.tokenID = tokenID
    }

    /// Decodes a macaroon identifier; anything but a 66-byte version-0 identifier is an error.
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        guard bytes.count >= 2 else { throw .tooShort(bytes.count) }
        let version = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        guard version == Self.currentVersion else { throw .unsupportedVersion(version) }
        guard bytes.count == Self.encodedLength else { throw .wrongLength(bytes.count) }
        self.version = version
        self.paymentHash = Array(bytes[2..<34])
        self.tokenID = TokenID(exactly32: bytes[34..<66])
    }

    /// The 66-byte wire form.
    public func encoded() -> [UInt8] {
        [UInt8(version >> 8), UInt8(version & 0xff)] + paymentHash + tokenID.bytes
    }
}
