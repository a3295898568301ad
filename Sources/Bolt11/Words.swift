/// Conversions between bech32's 5-bit words and bytes or integers.
enum Words {
    /// Bytes as 5-bit words, the last word padded with zero bits.
    static func fromBytes(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 8 + 4) / 5)
        var accumulator: UInt32 = 0, bits = 0
        for byte in bytes {
            accumulator = accumulator << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(UInt8((accumulator >> UInt32(bits)) & 31))
            }
            accumulator &= (1 << UInt32(bits)) - 1
        }
        if bits > 0 { out.append(UInt8((accumulator << UInt32(5 - bits)) & 31)) }
        return out
    }

    /// 5-bit words as bytes. A trailing partial byte is dropped (it is the writer's padding),
    /// or with `padded`, completed with zero bits (how the signed message is formed).
    static func toBytes(_ words: some Collection<UInt8>, padded: Bool = false) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(words.count * 5 / 8)
        var accumulator: UInt32 = 0, bits = 0
        for word in words {
            accumulator = accumulator << 5 | UInt32(word)
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((accumulator >> UInt32(bits)) & 0xff))
            }
            accumulator &= (1 << UInt32(bits)) - 1
        }
        if padded, bits > 0 { out.append(UInt8((accumulator << UInt32(8 - bits)) & 0xff)) }
        return out
    }

    /// The shortest big-endian word string of `value` (no words for zero).
    static func fromInteger(_ value: UInt64) -> [UInt8] {
        var out = [UInt8]()
        var rest = value
        while rest > 0 {
            out.append(UInt8(rest & 31))
            rest >>= 5
        }
        return out.reversed()
    }

    /// `value` in exactly `count` big-endian words (the caller checks it fits).
    static func fromInteger(_ value: UInt64, count: Int) -> [UInt8] {
        (0..<count).map { UInt8((value >> UInt64(5 * (count - 1 - $0))) & 31) }
    }

    /// The big-endian integer of `words`, or nil when it does not fit in 64 bits.
    static func toInteger(_ words: some Collection<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for word in words {
            guard value >> 59 == 0 else { return nil }
            value = value << 5 | UInt64(word)
        }
        return value
    }
}
