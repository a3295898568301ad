/// The tagged fields of BOLT-11, by their 5-bit type.
public enum FieldKind: UInt8, Sendable, Hashable, CaseIterable {
    /// `p`: payment hash.
    case paymentHash = 1
    /// `r`: route hint.
    case routeHint = 3
    /// `9`: feature bits.
    case features = 5
    /// `x`: expiry.
    case expiry = 6
    /// `f`: fallback address.
    case fallback = 9
    /// `d`: description.
    case description = 13
    /// `s`: payment secret.
    case paymentSecret = 16
    /// `n`: payee node id.
    case payee = 19
    /// `h`: description hash.
    case descriptionHash = 23
    /// `c`: min_final_cltv_expiry.
    case minFinalCltvExpiry = 24
    /// `m`: payment metadata.
    case metadata = 27
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
    /// The 5-bit field type.
    public var type: UInt8
    /// The data, 5-bit words.
    public var words: [UInt8]

    /// A field from its type and words (each masked to 5 bits).
    public init(type: UInt8, words: [UInt8]) {
        self.type = type & 31
        self.words = words.map { $0 & 31 }
    }
}
