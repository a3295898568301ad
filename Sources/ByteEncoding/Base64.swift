import Foundation

/// Base64 as it arrives on the wire: the standard or the URL-safe alphabet, padded or not.
///
/// Macaroons travel in either alphabet (libmacaroons writes URL-safe, Aperture standard),
/// often with the padding stripped, so every decoder in the project goes through here.
public enum Base64 {
    /// Why a string is not base64.
    public enum DecodingError: Error, Equatable, CustomStringConvertible {
        /// The input is empty.
        case empty
        /// A character of neither alphabet, at this offset.
        case invalidCharacter(Character, offset: Int)
        /// A length no base64 text can have (one character over a multiple of four).
        case invalidLength(Int)
        /// A `=` before the end, at this offset.
        case misplacedPadding(offset: Int)
        /// Padding that does not complete the last group.
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
    /// (they cannot be ambiguous); anything else is a precise error. Left-over bits in the last
    /// group are ignored, as Python's and Go's decoders do.
    public static func decode(_ text: some StringProtocol) throws(DecodingError) -> [UInt8] {
        var string = String(text)
        // `withUTF8` only rethrows untyped errors; carry the typed one out in a Result.
        return try string.withUTF8 { utf8 in Result { () throws(DecodingError) in try decode(utf8: utf8) } }.get()
    }

    /// Each byte's 6-bit value in either alphabet; 0xff for anything else (padding included).
    private static let sextets: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (value, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = UInt8(value)
        }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    private static func decode(utf8: UnsafeBufferPointer<UInt8>) throws(DecodingError) -> [UInt8] {
        // The padding, if any, is a run of '=' at the very end.
        var dataCount = utf8.count
        while dataCount > 0, utf8[dataCount - 1] == UInt8(ascii: "=") { dataCount -= 1 }
        let paddingCount = utf8.count - dataCount
        let table = sextets
        var out = [UInt8]()
        out.reserveCapacity(dataCount * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for offset in 0..<dataCount {
            let c = utf8[offset]
            let value = table[Int(c)]
            guard value != 0xff else {
                if c == UInt8(ascii: "=") { throw .misplacedPadding(offset: offset) }
                throw .invalidCharacter(Character(Unicode.Scalar(c)), offset: offset)
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        guard dataCount > 0 else { throw .empty }
        let remainder = dataCount % 4
        guard remainder != 1 else { throw .invalidLength(dataCount) }
        if paddingCount > 0 {
            let expected = (4 - remainder) % 4
            guard paddingCount == expected else { throw .wrongPaddingCount(expected: expected, found: paddingCount) }
        }
        return out
    }
}
