/// Base64url (RFC 4648 §5) as the `Payment` scheme puts it on the wire: emitted without padding,
/// read strictly. Unlike the wire-tolerant `Base64`, the decoder accepts only the URL-safe
/// alphabet, padding only in its one correct amount, and no left-over bits in the last group,
/// so every payload has exactly one spelling (a second spelling would be a second HMAC input).
public enum Base64URL {
    /// Why a string is not strict base64url.
    public enum DecodingError: Error, Equatable, CustomStringConvertible {
        /// A byte outside the base64url alphabet, at this offset.
        case invalidCharacter(UInt8, offset: Int)
        /// A length no base64url text can have.
        case invalidLength(Int)
        /// A `=` before the end, at this offset.
        case misplacedPadding(offset: Int)
        /// Padding that does not fit a text of this length.
        case wrongPadding(length: Int)
        /// The last character carries bits that must be zero.
        case nonZeroTrailingBits

        public var description: String {
            switch self {
            case .invalidCharacter(let c, let offset): "byte 0x\(String(c, radix: 16)) at offset \(offset) is not in the base64url alphabet"
            case .invalidLength(let n): "base64url text of \(n) characters (without padding) cannot be whole bytes"
            case .misplacedPadding(let offset): "padding '=' at offset \(offset) is not at the end"
            case .wrongPadding(let length): "padded base64url text of length \(length) is not a multiple of 4 or has too much padding"
            case .nonZeroTrailingBits: "the last base64url character carries bits that are not zero (a second spelling)"
            }
        }
    }

    /// URL-safe alphabet, no padding.
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Base64.encodeURLSafe(bytes)
    }

    private static let sextets: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (value, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8.enumerated() {
            table[Int(c)] = UInt8(value)
        }
        return table
    }()

    /// Decodes base64url, padded or not; the empty string is zero bytes.
    public static func decode(_ text: some StringProtocol) throws(DecodingError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        var dataCount = utf8.count
        while dataCount > 0, utf8[dataCount - 1] == UInt8(ascii: "=") { dataCount -= 1 }
        let padding = utf8.count - dataCount
        let remainder = dataCount % 4
        guard remainder != 1 else { throw .invalidLength(dataCount) }
        if padding > 0, utf8.count % 4 != 0 || padding != (4 - remainder) % 4 { throw .wrongPadding(length: utf8.count) }
        var out = [UInt8]()
        out.reserveCapacity(dataCount * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for offset in 0..<dataCount {
            let c = utf8[offset]
            let value = sextets[Int(c)]
            guard value != 0xff else {
                if c == UInt8(ascii: "=") { throw .misplacedPadding(offset: offset) }
                throw .invalidCharacter(c, offset: offset)
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        guard accumulator == 0 else { throw .nonZeroTrailingBits }
        return out
    }
}
