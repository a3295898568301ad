import ByteEncoding

extension Macaroon {
    /// The V2 binary serialization (never fails).
    public func serialize() -> [UInt8] { BinaryV2.encode(self) }

    /// The serialization in `format`: V1 or V2 binary, or V2 JSON as UTF-8.
    /// Throws only for V1, whose packets cannot exceed 65535 bytes.
    public func serialize(_ format: MacaroonFormat) throws(MacaroonError) -> [UInt8] {
        switch format {
        case .v1: try BinaryV1.encode(self)
        case .v2: BinaryV2.encode(self)
        case .v2j: JSONV2.encode(self)
        }
    }

    /// The V2 binary serialization as standard padded base64 (what L402 headers carry).
    public func encoded() -> String { Base64.encode(serialize()) }

    /// `format` as text: standard padded base64 of the binary formats, the JSON itself for `.v2j`.
    public func encoded(_ format: MacaroonFormat) throws(MacaroonError) -> String {
        let bytes = try serialize(format)
        return format == .v2j ? String(decoding: bytes, as: UTF8.self) : Base64.encode(bytes)
    }

    /// Decodes V1 or V2 binary, or V2 JSON bytes, recognised by their first byte.
    public init(bytes: [UInt8]) throws(MacaroonError) {
        self = try Self.decode(bytes: bytes).macaroon
    }

    /// Decodes V2 or V1 binary only; V2 JSON is refused (`MacaroonError.binaryRequired`) before it is
    /// parsed. For the L402 request path, which carries binary macaroons only, as Aperture does.
    public init(binary bytes: [UInt8]) throws(MacaroonError) {
        guard bytes.first != UInt8(ascii: "{") else { throw .binaryRequired }
        self = try Self.decode(bytes: bytes).macaroon
    }

    /// Decodes base64 (standard or URL-safe alphabet, padded or not) of V1 or V2 binary, or V2 JSON text.
    public init(decoding text: String) throws(MacaroonError) {
        self = try Self.decode(text).macaroon
    }

    /// Decodes `text` like `init(decoding:)` and reports which format it was in.
    public static func decode(_ text: String) throws(MacaroonError) -> (macaroon: Macaroon, format: MacaroonFormat) {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        if trimmed.utf8.first == UInt8(ascii: "{") { return try decode(bytes: Array(trimmed.utf8)) }
        let bytes: [UInt8]
        do { bytes = try Base64.decode(trimmed) } catch { throw .invalidBase64(error) }
        guard bytes.first != UInt8(ascii: "{") else { throw .unknownFormat(firstByte: UInt8(ascii: "{")) }
        return try decode(bytes: bytes)
    }

    /// Decodes bytes and reports which format they were in.
    public static func decode(bytes: [UInt8]) throws(MacaroonError) -> (macaroon: Macaroon, format: MacaroonFormat) {
        guard let first = bytes.first else { throw .empty }
        switch first {
        case BinaryV2.version: return (try BinaryV2.decode(bytes), .v2)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): return (try BinaryV1.decode(bytes), .v1)
        case UInt8(ascii: "{"): return (try JSONV2.decode(bytes), .v2j)
        default: throw .unknownFormat(firstByte: first)
        }
    }
}

extension String {
    /// The text without leading and trailing ASCII whitespace (tokens pasted from a terminal).
    fileprivate func trimmingWhitespace() -> Substring {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }
        let start = utf8.firstIndex { !isSpace($0) } ?? utf8.endIndex
        let end = utf8[start...].lastIndex { !isSpace($0) }.map(utf8.index(after:)) ?? start
        return self[start..<end]
    }
}
