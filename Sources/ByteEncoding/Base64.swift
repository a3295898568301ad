import Foundation

/// Base64 as it arrives on the wire: the standard or the URL-safe alphabet, padded or not.
///
/// Macaroons travel in either alphabet (libmacaroons writes URL-safe, Aperture standard),
/// often with the padding stripped, so every decoder in the project goes through here.
public enum Base64 {
    /// Why a string is not base64.
    public enum DecodingError: Error, Equatable, CustomStringConvertible {
        case empty
        case invalidCharacter(Character, offset: Int)
        case invalidLength(Int)
        case misplacedPadding(offset: Int)
        case wrongPaddingCount(expected: Int, found: Int)

        public var description: String {
            switch self {
            case .empty: "base64 string is empty"
            case .invalidCharacter(let c, let offset): "invalid base64 character \(c.debugDescription) at offset \(offset)"
            case .invalidLength(let n): "base64 string has impossible length \(n) (without padding, length mod 4 must not be 1)"
            case .misplacedPadding(let offset): "base64 padding '=' at offset \(offset) is not at the end"
            case .wrongPaddingCount(let expected, let found): "base64 string has \(found) padding characters, expected \(expected)"
            }
        }
    }

    /// Encodes with the standard alphabet and padding (what Aperture puts in headers).
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Data(bytes).base64EncodedString()
    }

    /// Encodes with the URL-safe alphabet and no padding (what libmacaroons and pymacaroons emit).
    public static func encodeURLSafe<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text = encode(bytes)
        while text.hasSuffix("=") { text.removeLast() }
        return String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    /// Decodes standard or URL-safe base64, with or without padding. Mixed alphabets are accepted
    /// (they cannot be ambiguous); anything else is a precise error.
    public static func decode(_ text: some StringProtocol) throws(DecodingError) -> [UInt8] {
        var normalized = [UInt8]()
        normalized.reserveCapacity(text.utf8.count + 3)
        var paddingStart: Int?
        for (offset, c) in text.utf8.enumerated() {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                if paddingStart != nil { throw .misplacedPadding(offset: paddingStart!) }
                normalized.append(c)
            case UInt8(ascii: "-"):
                if paddingStart != nil { throw .misplacedPadding(offset: paddingStart!) }
                normalized.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"):
                if paddingStart != nil { throw .misplacedPadding(offset: paddingStart!) }
                normalized.append(UInt8(ascii: "/"))
            case UInt8(ascii: "="):
                if paddingStart == nil { paddingStart = offset }
            default:
                throw .invalidCharacter(Character(Unicode.Scalar(c)), offset: offset)
            }
        }
        guard !normalized.isEmpty else { throw .empty }
        let remainder = normalized.count % 4
        guard remainder != 1 else { throw .invalidLength(normalized.count) }
        if let paddingStart {
            let found = text.utf8.count - paddingStart
            let expected = (4 - remainder) % 4
            guard found == expected else { throw .wrongPaddingCount(expected: expected, found: found) }
        }
        normalized.append(contentsOf: repeatElement(UInt8(ascii: "="), count: (4 - remainder) % 4))
        guard let data = Data(base64Encoded: Data(normalized)) else {
            // Only non-zero trailing bits can get here; report it as a length problem of the last group.
            throw .invalidLength(normalized.count)
        }
        return [UInt8](data)
    }
}
