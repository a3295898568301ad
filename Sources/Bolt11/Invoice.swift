/// A BOLT-11 Lightning invoice: what is asked, of whom, until when.
///
/// `Invoice.decode` turns a string into one (checking the signature); `encode(signingWith:)`
/// turns one into a signed string. Byte fields are raw bytes, amounts are millisatoshis.
public struct Invoice: Sendable, Equatable {
    /// Currency the invoice is payable in (its human-readable prefix).
    public var network: Network
    /// Amount asked, in millisatoshis; nil when the payer chooses.
    public var amountMsat: UInt64?
    /// Creation time, unix seconds (35 bits on the wire).
    public var timestamp: UInt64
    /// SHA-256 of the preimage the payee reveals on payment (`p`, 32 bytes).
    public var paymentHash: [UInt8]
    /// Secret against probing (`s`, 32 bytes). BOLT-11 requires it: decoding fails without it and encoding refuses to omit it.
    public var paymentSecret: [UInt8]?
    /// Purpose of the payment (`d`); exactly one of `description` and `descriptionHash` is set.
    public var description: String?
    /// SHA-256 of a longer description delivered out of band (`h`, 32 bytes).
    public var descriptionHash: [UInt8]?
    /// Seconds after `timestamp` during which the invoice can be paid (`x`); 3600 when absent.
    public var expiry: UInt64
    /// CLTV delta the payee needs for the last hop (`c`); 18 when absent.
    public var minFinalCltvExpiry: UInt64
    /// Payee node id (33 bytes). On decode: from `n`, or recovered from the signature.
    /// On encode: must be the signing key's public key if set; written as an `n` field only when
    /// `fieldOrder` lists `.payee` (or, with an empty `fieldOrder`, whenever it is set).
    public var payee: [UInt8]?
    /// Feature bits (`9`).
    public var features: FeatureBits?
    /// Payment metadata to hand back in the onion (`m`).
    public var metadata: [UInt8]?
    /// On-chain fallback addresses (`f`), most preferred first.
    public var fallbacks: [Fallback]
    /// Private routes to the payee (`r`), most preferred first.
    public var routeHints: [RouteHint]
    /// Fields the reader skipped, kept verbatim for re-encoding.
    public var ignoredFields: [RawTaggedField]
    /// Order of the tagged fields on the wire (decode records it). The encoder writes the k-th
    /// occurrence of a kind from the k-th value of that kind, then anything left in canonical order.
    public var fieldOrder: [FieldKind]

    /// When the invoice stops being payable, unix seconds (saturating).
    public var expiresAt: UInt64 {
        let (sum, overflow) = timestamp.addingReportingOverflow(expiry)
        return overflow ? .max : sum
    }

    /// Expiry a reader assumes when `x` is absent, in seconds.
    public static let defaultExpiry: UInt64 = 3600
    /// CLTV delta a reader assumes when `c` is absent.
    public static let defaultMinFinalCltvExpiry: UInt64 = 18

    /// An invoice from its fields; nothing is checked until `encode(signingWith:)`.
    public init(
        network: Network, amountMsat: UInt64?, timestamp: UInt64, paymentHash: [UInt8], paymentSecret: [UInt8]? = nil,
        description: String? = nil, descriptionHash: [UInt8]? = nil, expiry: UInt64 = Invoice.defaultExpiry,
        minFinalCltvExpiry: UInt64 = Invoice.defaultMinFinalCltvExpiry, payee: [UInt8]? = nil,
        features: FeatureBits? = nil, metadata: [UInt8]? = nil, fallbacks: [Fallback] = [],
        routeHints: [RouteHint] = [], ignoredFields: [RawTaggedField] = [], fieldOrder: [FieldKind] = []
    ) {
        self.network = network
        self.amountMsat = amountMsat
        self.timestamp = timestamp
        self.paymentHash = paymentHash
        self.paymentSecret = paymentSecret
        self.description = description
        self.descriptionHash = descriptionHash
        self.expiry = expiry
        self.minFinalCltvExpiry = minFinalCltvExpiry
        self.payee = payee
        self.features = features
        self.metadata = metadata
        self.fallbacks = fallbacks
        self.routeHints = routeHints
        self.ignoredFields = ignoredFields
        self.fieldOrder = fieldOrder
    }
}
