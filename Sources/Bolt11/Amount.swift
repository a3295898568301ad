/// The amount in an invoice's human-readable part: decimal bitcoin with an optional m/u/n/p multiplier.
enum Amount {
    /// Millisatoshis per unit of each multiplier; `p` (0.1 msat) is handled apart.
    private static let msatPerBitcoin: UInt64 = 100_000_000_000
    private static let multipliers: [(Character, UInt64)] = [
        ("m", 100_000_000), ("u", 100_000), ("n", 100),
    ]

    /// Parses the amount text after the currency prefix (`2500u`, `20m`, `9678785340p`, `1`).
    static func parse(_ text: String) throws(Bolt11Error) -> UInt64 {
        var digits = Substring(text)
        var multiplier: Character?
        if let last = digits.last, !last.isASCII || !last.isNumber {
            multiplier = last
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidAmount(text)
        }
        guard digits.first != "0" else { throw .invalidAmount(text) }
        if multiplier == "p" {
            // Pico-bitcoin is a tenth of a millisatoshi: the last digit must be 0 and is dropped.
            guard digits.last == "0" else { throw .subMillisatoshiAmount(text) }
            guard let msat = UInt64(digits.dropLast()) else { throw .amountOverflow(text) }
            return msat
        }
        guard let value = UInt64(digits) else { throw .amountOverflow(text) }
        switch multiplier {
        case nil:
            return try multiply(value, msatPerBitcoin, text)
        case let letter?:
            guard let factor = multipliers.first(where: { $0.0 == letter })?.1 else {
                throw .invalidMultiplier(letter)
            }
            return try multiply(value, factor, text)
        }
    }

    /// The shortest amount text for `msat`: the largest multiplier that keeps it a whole number.
    static func format(msat: UInt64) -> String {
        if msat % msatPerBitcoin == 0 { return "\(msat / msatPerBitcoin)" }
        for (letter, factor) in multipliers where msat % factor == 0 {
            return "\(msat / factor)\(letter)"
        }
        return "\(msat)0p"
    }

    private static func multiply(_ value: UInt64, _ factor: UInt64, _ text: String) throws(Bolt11Error) -> UInt64 {
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw .amountOverflow(text) }
        return product
    }
}
