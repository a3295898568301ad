/// Lower-case hexadecimal encoding of byte strings, and strict decoding with precise errors.
public enum Hex {
    /// An input that is not an even-length string of hexadecimal digits.
    public enum DecodingError: Error, Equatable, CustomStringConvertible {
        /// The text has this odd number of characters.
        case oddLength(Int)
        /// A character that is not a hexadecimal digit, at this offset.
        case invalidCharacter(Character, offset: Int)

        public var description: String {
            switch self {
            case .oddLength(let n): "hex string has odd length \(n)"
            case .invalidCharacter(let c, let offset): "invalid hex character \(c.debugDescription) at offset \(offset)"
            }
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// Encodes `bytes` as lower-case hex.
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes upper- or lower-case hex; throws on odd length or any non-hex character.
    public static func decode(_ text: some StringProtocol) throws(DecodingError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { throw .oddLength(utf8.count) }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            let high = try nibble(utf8[index], offset: index)
            let low = try nibble(utf8[index + 1], offset: index + 1)
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8, offset: Int) throws(DecodingError) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: throw .invalidCharacter(Character(Unicode.Scalar(c)), offset: offset)
        }
    }
}
