/// Bech32 (BIP-173) as BOLT-11 uses it: the original checksum constant and no 90-character limit.
/// Bech32m (BIP-350) is only written, for segwit v1+ fallback addresses.
enum Bech32 {
    /// The checksum constant: BIP-173 bech32, or BIP-350 bech32m.
    enum Variant: UInt32 {
        case bech32 = 1
        case bech32m = 0x2bc8_30a3
    }

    static let alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

    /// Maps an ASCII byte to its 5-bit value, or -1.
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = Int8(value) }
        return table
    }()

    /// The bech32 character of a 5-bit value (for messages and tags).
    static func character(_ word: UInt8) -> Character { Character(Unicode.Scalar(alphabet[Int(word & 31)])) }

    /// Lower-case bech32 string of `hrp`, `1`, the words and their checksum.
    static func encode(hrp: String, words: [UInt8], variant: Variant = .bech32) -> String {
        let hrpBytes = Array(hrp.utf8)
        let checksum = makeChecksum(hrp: hrpBytes, words: words, variant: variant)
        var out = hrpBytes
        out.reserveCapacity(hrpBytes.count + 1 + words.count + 6)
        out.append(UInt8(ascii: "1"))
        for word in words + checksum { out.append(alphabet[Int(word)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Splits a bech32 string into its lower-cased human-readable part and data words (checksum removed).
    static func decode(_ text: String) throws(Bolt11Error) -> (hrp: String, words: [UInt8]) {
        let (hrp, words, variant) = try decodeAnyVariant(text)
        guard variant == .bech32 else { throw .invalidChecksum }
        return (hrp, words)
    }

    /// Like `decode`, accepting a bech32m checksum too and telling which one matched.
    static func decodeAnyVariant(_ text: String) throws(Bolt11Error) -> (hrp: String, words: [UInt8], variant: Variant) {
        let raw = Array(text.utf8)
        guard !raw.isEmpty else { throw .empty }
        var hasLower = false, hasUpper = false
        for (offset, byte) in raw.enumerated() {
            guard byte >= 33, byte <= 126 else {
                throw .invalidCharacter(Character(Unicode.Scalar(byte)), offset: offset)
            }
            if byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") { hasLower = true }
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { hasUpper = true }
        }
        guard !(hasLower && hasUpper) else { throw .mixedCase }
        let lower = raw.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
        guard let separator = lower.lastIndex(of: UInt8(ascii: "1")), separator > 0 else { throw .missingSeparator }
        let hrp = Array(lower[..<separator])
        let dataStart = separator + 1
        guard lower.count - dataStart >= 6 else { throw .tooShort(words: max(0, lower.count - dataStart)) }
        var words = [UInt8]()
        words.reserveCapacity(lower.count - dataStart)
        for offset in dataStart..<lower.count {
            let value = values[Int(lower[offset])]
            guard value >= 0 else { throw .invalidCharacter(Character(Unicode.Scalar(raw[offset])), offset: offset) }
            words.append(UInt8(value))
        }
        guard let variant = Variant(rawValue: polymod(expand(hrp) + words)) else { throw .invalidChecksum }
        words.removeLast(6)
        return (String(decoding: hrp, as: UTF8.self), words, variant)
    }

    private static func makeChecksum(hrp: [UInt8], words: [UInt8], variant: Variant) -> [UInt8] {
        let mod = polymod(expand(hrp) + words + [0, 0, 0, 0, 0, 0]) ^ variant.rawValue
        return (0..<6).map { UInt8((mod >> (5 * (5 - UInt32($0)))) & 31) }
    }

    private static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var chk: UInt32 = 1
        for value in values {
            let top = chk >> 25
            chk = (chk & 0x1ff_ffff) << 5 ^ UInt32(value)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { chk ^= generator[i] }
        }
        return chk
    }
}
