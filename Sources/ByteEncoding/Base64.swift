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
        // A native string or substring is read in place; only other kinds are copied first.
        if let result = text.utf8.withContiguousStorageIfAvailable({ utf8 in Result { () throws(DecodingError) in try decode(utf8: utf8) } }) {
            return try result.get()
        }
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
        // Four characters make three bytes; a last group of two or three makes one or two. Decoding runs
        // first, OR-ing every 6-bit value into `seen`, so one pass both decodes and spots a bad character
        // (0xff in the table); only then is the first bad one looked for, so it is the error reported.
        let groups = dataCount / 4
        let remainder = dataCount % 4
        var seen: UInt8 = 0
        let out = sextets.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: groups * 3 + 2) { out, written in
                func bits(_ offset: Int, _ shift: UInt32) -> UInt32 {
                    let value = table[Int(utf8[offset])]
                    seen |= value
                    return UInt32(value) << shift
                }
                for group in 0..<groups {
                    let i = group * 4
                    let value = bits(i, 18) | bits(i + 1, 12) | bits(i + 2, 6) | bits(i + 3, 0)
                    out[written] = UInt8(truncatingIfNeeded: value >> 16)
                    out[written + 1] = UInt8(truncatingIfNeeded: value >> 8)
                    out[written + 2] = UInt8(truncatingIfNeeded: value)
                    written += 3
                }
                let i = groups * 4
                let value = (0..<remainder).reduce(UInt32(0)) { $0 | bits(i + $1, 18 - 6 * UInt32($1)) }
                for index in 0..<max(remainder - 1, 0) {
                    out[written] = UInt8(truncatingIfNeeded: value >> (16 - 8 * UInt32(index)))
                    written += 1
                }
            }
        }
        if seen & 0x80 != 0, let offset = (0..<dataCount).first(where: { sextets[Int(utf8[$0])] == 0xff }) {
            if utf8[offset] == UInt8(ascii: "=") { throw .misplacedPadding(offset: offset) }
            throw .invalidCharacter(Character(Unicode.Scalar(utf8[offset])), offset: offset)
        }
        guard dataCount > 0 else { throw .empty }
        guard remainder != 1 else { throw .invalidLength(dataCount) }
        if paddingCount > 0 {
            let expected = (4 - remainder) % 4
            guard paddingCount == expected else { throw .wrongPaddingCount(expected: expected, found: paddingCount) }
        }
        return out
    }
}
