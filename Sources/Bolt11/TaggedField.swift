/// The tagged fields of BOLT-11, by their 5-bit type.
public enum FieldKind: UInt8, Sendable, Hashable, CaseIterable {
    case paymentHash = 1        // p
    case routeHint = 3          // r
    case features = 5           // 9
    case expiry = 6             // x
    case fallback = 9           // f
    case description = 13       // d
    case paymentSecret = 16     // s
    case payee = 19             // n
    case descriptionHash = 23   // h
    case minFinalCltvExpiry = 24 // c
    case metadata = 27          // m
    /// A field the reader skipped (unknown type, wrong fixed length, unknown fallback version, duplicate).
    case ignored = 255

    /// The bech32 letter of the type, as the spec names fields.
    public var letter: Character { self == .ignored ? "?" : Bech32.character(rawValue) }

    /// Order in which the encoder writes fields when `Invoice.fieldOrder` says nothing.
    static let canonicalOrder: [FieldKind] = [
        .paymentHash, .paymentSecret, .description, .descriptionHash, .payee, .expiry, .minFinalCltvExpiry,
        .fallback, .routeHint, .features, .metadata, .ignored,
    ]
}

/// A tagged field kept verbatim: its 5-bit type and 5-bit data words.
///
/// Decoding keeps every field it skips, so re-encoding a decoded invoice reproduces it exactly.
public struct RawTaggedField: Sendable, Hashable {
    public var type: UInt8
    public var words: [UInt8]

    public init(type: UInt8, words: [UInt8]) {
        self.type = type & 31
        self.words = words.map { $0 & 31 }
    }
}
