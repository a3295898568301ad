import Crypto

extension Invoice {
    /// Decodes a BOLT-11 string (any case, with or without a `lightning:` prefix) and checks its signature:
    /// against the `n` field when present (low-S required), otherwise by recovering the payee key.
    /// Throws `Bolt11Error` for anything the spec says must fail.
    public static func decode(_ bolt11: String) throws -> Invoice {
        let signed = try SignedInvoice(parsing: bolt11)
        return try signed.verified()
    }

    /// Decodes like `decode`, but reports a bad signature instead of throwing it, so a tool can
    /// still show what an invoice says. Only use the result for display: nothing vouches for it.
    public static func decodeUnverified(_ bolt11: String) throws -> (invoice: Invoice, signatureError: Bolt11Error?) {
        let signed = try SignedInvoice(parsing: bolt11)
        do {
            return (try signed.verified(), nil)
        } catch {
            return (signed.invoice, error)
        }
    }
}

/// An invoice as read off the wire, before its signature is checked.
struct SignedInvoice {
    static let signatureWords = 104      // 520 bits: 64-byte R||S and the recovery id
    static let timestampWords = 7        // 35 bits

    var invoice: Invoice
    var signature: [UInt8]
    var recoveryId: UInt8
    /// SHA-256 of the human-readable part and the data before the signature.
    var digest: [UInt8]
    var hasPayeeField: Bool

    init(parsing text: String) throws(Bolt11Error) {
        var body = Substring(text)
        if body.prefix(10).lowercased() == "lightning:" { body = body.dropFirst(10) }
        let (hrp, words) = try Bech32.decode(String(body))
        let (network, amount) = try Self.parseHumanReadablePart(hrp)
        guard words.count >= Self.timestampWords + Self.signatureWords else { throw .tooShort(words: words.count) }

        let signedEnd = words.count - Self.signatureWords
        let sigBytes = Words.toBytes(words[signedEnd...])
        signature = Array(sigBytes[0..<64])
        recoveryId = sigBytes[64]
        digest = Array(SHA256.hash(data: Array(hrp.utf8) + Words.toBytes(words[..<signedEnd], padded: true)))

        var invoice = Invoice(
            network: network, amountMsat: amount,
            timestamp: Words.toInteger(words[0..<Self.timestampWords])!, paymentHash: []
        )
        var fields = FieldReader(words: words[Self.timestampWords..<signedEnd])
        var seen = Set<FieldKind>()
        while let (type, data) = try fields.next() {
            let kind = try Self.apply(type: type, data: data, to: &invoice, firstOfKind: { !seen.contains($0) })
            if kind != .ignored, kind != .fallback, kind != .routeHint { seen.insert(kind) }
            invoice.fieldOrder.append(kind)
            if kind == .ignored { invoice.ignoredFields.append(RawTaggedField(type: type, words: Array(data))) }
        }
        try Self.checkRequiredFields(of: invoice)
        hasPayeeField = seen.contains(.payee)
        self.invoice = invoice
    }

    /// The invoice with `payee` set, once the signature is shown to be the payee's.
    func verified() throws(Bolt11Error) -> Invoice {
        guard recoveryId <= 3 else { throw .invalidRecoveryId(recoveryId) }
        if hasPayeeField, let payee = invoice.payee {
            try Secp256k1.verify(signature: signature, digest: digest, publicKey: payee)
            return invoice
        }
        var result = invoice
        result.payee = try Secp256k1.recoverPublicKey(signature: signature, recoveryId: recoveryId, digest: digest)
        return result
    }

    /// `ln` + currency prefix + optional amount.
    static func parseHumanReadablePart(_ hrp: String) throws(Bolt11Error) -> (Network, UInt64?) {
        guard hrp.hasPrefix("ln") else { throw .invalidPrefix(hrp) }
        let rest = hrp.dropFirst(2)
        let amountStart = rest.firstIndex(where: { $0.isASCII && $0.isNumber }) ?? rest.endIndex
        let prefix = String(rest[..<amountStart])
        guard let network = Network(rawValue: prefix) else { throw .unknownNetwork(prefix) }
        let amountText = rest[amountStart...]
        return (network, amountText.isEmpty ? nil : try Amount.parse(String(amountText)))
    }

    /// Word counts of the fixed-size fields: 256-bit hashes and secret, 264-bit node id.
    private static let fixedLength: [FieldKind: Int] = [.paymentHash: 52, .paymentSecret: 52, .descriptionHash: 52, .payee: 53]

    /// Reads one tagged field into `invoice`; returns how it was taken (`.ignored` when skipped).
    static func apply(
        type: UInt8, data: ArraySlice<UInt8>, to invoice: inout Invoice, firstOfKind: (FieldKind) -> Bool
    ) throws(Bolt11Error) -> FieldKind {
        guard let kind = FieldKind(rawValue: type) else { return .ignored }
        let tag = kind.letter
        // Fixed-length fields of another length, and repeats of single fields, are skipped (the first one counts).
        if let length = fixedLength[kind], data.count != length { return .ignored }
        if kind != .fallback, kind != .routeHint, !firstOfKind(kind) { return .ignored }

        switch kind {
        case .paymentHash: invoice.paymentHash = Words.toBytes(data)
        case .paymentSecret: invoice.paymentSecret = Words.toBytes(data)
        case .descriptionHash: invoice.descriptionHash = Words.toBytes(data)
        case .payee:
            let key = Words.toBytes(data)
            guard Secp256k1.isValidPublicKey(key) else { throw .invalidPayeeKey }
            invoice.payee = key
        case .description:
            guard let text = String(validating: Words.toBytes(data), as: UTF8.self) else { throw .invalidDescriptionEncoding }
            invoice.description = text
        case .expiry: invoice.expiry = try minimalInteger(data, tag: tag)
        case .minFinalCltvExpiry: invoice.minFinalCltvExpiry = try minimalInteger(data, tag: tag)
        case .features:
            guard data.first != 0 else { throw .nonMinimalField(tag: tag) }
            invoice.features = FeatureBits(words: Array(data))
        case .metadata: invoice.metadata = Words.toBytes(data)
        case .fallback:
            guard let version = data.first else { throw .malformedField(tag: tag, reason: "empty") }
            guard Fallback.isKnownVersion(version) else { return .ignored }
            let fallback = Fallback(version: version, program: Words.toBytes(data.dropFirst()))
            try fallback.validate()
            invoice.fallbacks.append(fallback)
        case .routeHint: invoice.routeHints.append(try RouteHint(bytes: Words.toBytes(data)))
        case .ignored: return .ignored
        }
        return kind
    }

    /// A big-endian integer field that must not start with a zero word.
    private static func minimalInteger(_ data: ArraySlice<UInt8>, tag: Character) throws(Bolt11Error) -> UInt64 {
        guard data.first != 0 else { throw .nonMinimalField(tag: tag) }
        guard let value = Words.toInteger(data) else { throw .fieldOverflow(tag: tag) }
        return value
    }

    /// The reader's MUSTs that concern the whole field set.
    static func checkRequiredFields(of invoice: Invoice) throws(Bolt11Error) {
        guard !invoice.paymentHash.isEmpty else { throw .missingPaymentHash }
        guard invoice.paymentSecret != nil else { throw .missingPaymentSecret }
        switch (invoice.description, invoice.descriptionHash) {
        case (nil, nil): throw .missingDescription
        case (.some, .some): throw .conflictingDescriptions
        default: break
        }
        if let bit = invoice.features?.unknownCompulsoryBit { throw .unknownRequiredFeature(bit: bit) }
    }
}

/// Walks the tagged fields: 5-bit type, 10-bit length, then that many words.
struct FieldReader {
    let words: ArraySlice<UInt8>
    var index: Int

    init(words: ArraySlice<UInt8>) {
        self.words = words
        index = words.startIndex
    }

    mutating func next() throws(Bolt11Error) -> (type: UInt8, data: ArraySlice<UInt8>)? {
        guard index < words.endIndex else { return nil }
        let type = words[index]
        guard words.endIndex - index >= 3 else { throw .truncatedFieldHeader(tag: Bech32.character(type)) }
        let length = Int(words[index + 1]) << 5 | Int(words[index + 2])
        let start = index + 3
        guard words.endIndex - start >= length else {
            throw .truncatedField(tag: Bech32.character(type), declared: length, available: words.endIndex - start)
        }
        index = start + length
        return (type, words[start..<index])
    }
}
