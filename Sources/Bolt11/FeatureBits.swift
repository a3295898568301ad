/// The feature vector of an invoice's `9` field (BOLT 9): bit 0 is the least significant.
///
/// Even bits are compulsory, odd bits optional ("it's ok to be odd").
public struct FeatureBits: Sendable, Hashable, Codable {
    /// The set bit numbers, ascending.
    public private(set) var bits: [Int]

    /// A vector with exactly `bits` set (duplicates are merged).
    public init(_ bits: some Sequence<Int>) {
        self.bits = Array(Set(bits.filter { $0 >= 0 })).sorted()
    }

    /// What an invoice from this project announces: `var_onion_optin` and `payment_secret`
    /// compulsory (8, 14), `basic_mpp` optional (17) — the set LND and CLN write.
    public static let standardInvoice = FeatureBits([8, 14, 17])

    /// Even (compulsory) bits BOLT 9 defines for invoices: var_onion_optin, payment_secret, basic_mpp,
    /// option_route_blinding, option_attribution_data, option_payment_metadata.
    static let knownCompulsory: Set<Int> = [8, 14, 16, 24, 36, 48]

    /// Whether `bit` is set.
    public func contains(_ bit: Int) -> Bool { bits.contains(bit) }

    /// The first compulsory bit a reader does not understand, if any.
    var unknownCompulsoryBit: Int? {
        bits.first { $0 % 2 == 0 && !Self.knownCompulsory.contains($0) }
    }

    /// Decodes big-endian 5-bit words; the last word holds bits 0–4.
    init(words: [UInt8]) {
        var bits = [Int]()
        for (index, word) in words.reversed().enumerated() {
            for bit in 0..<5 where (word >> UInt8(bit)) & 1 == 1 { bits.append(index * 5 + bit) }
        }
        self.bits = bits.sorted()
    }

    /// The shortest word string holding every set bit.
    var words: [UInt8] {
        guard let highest = bits.last else { return [] }
        let count = highest / 5 + 1
        var words = [UInt8](repeating: 0, count: count)
        for bit in bits { words[count - 1 - bit / 5] |= 1 << UInt8(bit % 5) }
        return words
    }
}
