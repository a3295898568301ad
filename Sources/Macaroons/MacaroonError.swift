import ByteEncoding

/// Why a macaroon could not be decoded or verified. Descriptions name the problem and the byte
/// offset where it was found; they never contain key material.
public enum MacaroonError: Error, Equatable, CustomStringConvertible {
    /// A part of a serialized macaroon, as named in error messages.
    public enum Field: String, Sendable {
        /// The version byte (V2) or the serialization as a whole.
        case version
        /// A V2 field's type byte.
        case fieldType = "field type"
        /// A V2 field's length varint.
        case fieldLength = "field length"
        /// The location field.
        case location
        /// The identifier field.
        case identifier
        /// A caveat's verification id field.
        case verificationId = "verification id"
        /// The signature field.
        case signature
        /// The marker that ends a V2 section.
        case endOfSection = "end-of-section marker"
        /// The 4-hex-digit length header of a V1 packet.
        case packetHeader = "V1 packet header"
        /// A V1 packet.
        case packet = "V1 packet"
    }

    /// The input was empty (or only whitespace).
    case empty
    /// The text is neither base64 nor JSON.
    case invalidBase64(Base64.DecodingError)
    /// The first byte names no known format (2 for V2, an ASCII hex digit for V1, `{` for JSON).
    case unknownFormat(firstByte: UInt8)
    /// The input ends inside `field`, which needed `needed` more bytes than were left at `offset`.
    case truncated(Field, offset: Int, needed: Int)
    /// A varint at `offset` is longer than 5 bytes or exceeds 32 bits.
    case invalidVarint(offset: Int)
    /// A V2 field type this format does not define.
    case unknownFieldType(UInt64, offset: Int)
    /// A V2 field appears out of order, or twice, within its section.
    case fieldOutOfOrder(Field, offset: Int)
    /// A field longer than `limit` bytes (refused before allocating anything).
    case fieldTooLarge(Field, length: UInt64, limit: Int, offset: Int)
    /// A required field is absent, or another field stands where it must be.
    case missingField(Field, offset: Int)
    /// A field that is not allowed where it stands (e.g. a location on a first-party caveat).
    case unexpectedField(Field, offset: Int)
    /// A V1 packet that is malformed: bad length digits, no space, no trailing newline, unknown key.
    case invalidPacket(offset: Int, reason: String)
    /// The signature is not 32 bytes long.
    case invalidSignatureLength(Int)
    /// A location that is not valid UTF-8.
    case invalidUTF8(Field, offset: Int)
    /// Bytes after the end of the macaroon.
    case trailingBytes(offset: Int, count: Int)
    /// V2 JSON that is not valid JSON or lacks / mistypes a member.
    case invalidJSON(String)
    /// A serialization this encoder cannot produce (e.g. a V1 packet over 65535 bytes).
    case unencodable(String)
    /// The HMAC chain does not end in the macaroon's signature (wrong root key or tampered macaroon).
    case invalidSignature
    /// The macaroon has a third-party caveat; verifying discharge macaroons is not supported.
    case thirdPartyCaveatUnsupported(index: Int)
    /// More caveats than `limit` (`Macaroon.maximumCaveats`), found while decoding, before any HMAC.
    case tooManyCaveats(limit: Int)
    /// V2 JSON where only the binary serializations (V2, V1) are accepted: the L402 request path.
    case binaryRequired

    public var description: String {
        switch self {
        case .empty: "macaroon is empty"
        case .invalidBase64(let error): "macaroon is not base64 or JSON: \(error)"
        case .unknownFormat(let byte):
            "unknown macaroon format: first byte 0x\(Hex.encode([byte])) (expected 0x02 for V2, a hex digit for V1, '{' for JSON)"
        case .truncated(let field, let offset, let needed):
            "macaroon truncated: \(field.rawValue) at offset \(offset) needs \(needed) more byte(s)"
        case .invalidVarint(let offset): "invalid varint at offset \(offset) (longer than 5 bytes or over 32 bits)"
        case .unknownFieldType(let type, let offset): "unknown field type \(type) at offset \(offset)"
        case .fieldOutOfOrder(let field, let offset): "\(field.rawValue) field out of order at offset \(offset)"
        case .fieldTooLarge(let field, let length, let limit, let offset):
            "\(field.rawValue) at offset \(offset) claims \(length) bytes; the limit is \(limit)"
        case .missingField(let field, let offset): "missing \(field.rawValue) at offset \(offset)"
        case .unexpectedField(let field, let offset): "unexpected \(field.rawValue) field at offset \(offset)"
        case .invalidPacket(let offset, let reason): "invalid V1 packet at offset \(offset): \(reason)"
        case .invalidSignatureLength(let n): "signature is \(n) bytes, expected 32"
        case .invalidUTF8(let field, let offset): "\(field.rawValue) at offset \(offset) is not valid UTF-8"
        case .trailingBytes(let offset, let count): "\(count) unexpected byte(s) after the macaroon at offset \(offset)"
        case .invalidJSON(let reason): "invalid V2 JSON macaroon: \(reason)"
        case .unencodable(let reason): "cannot encode macaroon: \(reason)"
        case .invalidSignature: "macaroon signature does not match (wrong root key or tampered macaroon)"
        case .thirdPartyCaveatUnsupported(let index):
            "caveat \(index) is a third-party caveat; verifying discharge macaroons is not supported"
        case .tooManyCaveats(let limit): "macaroon has more than \(limit) caveats, the most accepted"
        case .binaryRequired: "macaroon is V2 JSON; only the binary serializations (V2, or V1) are accepted here"
        }
    }
}
