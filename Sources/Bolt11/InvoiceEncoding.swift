import Crypto

extension Invoice {
    /// The signed BOLT-11 string (lower case) of this invoice.
    ///
    /// Signs SHA-256 of the human-readable part and data with `key` (deterministic RFC 6979,
    /// low-S, recoverable). Throws `Bolt11Error` when a field cannot be written or when the
    /// result would not decode (no payment secret, neither or both descriptions, a payee
    /// other than `key`, an unknown compulsory feature).
    public func encode(signingWith key: NodeKey) throws -> String {
        try validateForEncoding(key: key)
        let hrp = network.invoicePrefix + (amountMsat.map { Amount.format(msat: $0) } ?? "")
        var words = Words.fromInteger(timestamp, count: SignedInvoice.timestampWords)
        for (kind, field) in orderedFields(payeeKey: key.publicKey) {
            guard field.words.count <= 1023 else {
                throw Bolt11Error.invalidFieldValue("field '\(kind.letter)' needs \(field.words.count) words, at most 1023 fit")
            }
            words.append(field.type)
            words.append(UInt8(field.words.count >> 5))
            words.append(UInt8(field.words.count & 31))
            words.append(contentsOf: field.words)
        }
        return try Self.signed(hrp: hrp, data: words, with: key)
    }

    /// The bech32 string of `hrp` and `data` (timestamp and tagged fields) followed by the signature over them.
    static func signed(hrp: String, data: [UInt8], with key: NodeKey) throws(Bolt11Error) -> String {
        let digest = Array(SHA256.hash(data: Array(hrp.utf8) + Words.toBytes(data, padded: true)))
        let (signature, recoveryId) = try Secp256k1.signRecoverable(digest: digest, privateKey: key.privateKey)
        return Bech32.encode(hrp: hrp, words: data + Words.fromBytes(signature + [recoveryId]))
    }

    private func validateForEncoding(key: NodeKey) throws(Bolt11Error) {
        func check(_ condition: Bool, _ reason: String) throws(Bolt11Error) {
            guard condition else { throw .invalidFieldValue(reason) }
        }
        try check(timestamp < 1 << 35, "timestamp \(timestamp) does not fit in 35 bits")
        try check(amountMsat != 0, "amount must be positive or absent")
        try check(paymentHash.count == 32, "payment hash must be 32 bytes, not \(paymentHash.count)")
        guard let paymentSecret else { throw .missingPaymentSecret }
        try check(paymentSecret.count == 32, "payment secret must be 32 bytes, not \(paymentSecret.count)")
        switch (description, descriptionHash) {
        case (nil, nil): throw .missingDescription
        case (.some, .some): throw .conflictingDescriptions
        default: break
        }
        try check(descriptionHash.map { $0.count == 32 } ?? true, "description hash must be 32 bytes")
        if let payee, payee != key.publicKey { throw .payeeMismatch }
        if let bit = features?.unknownCompulsoryBit { throw .unknownRequiredFeature(bit: bit) }
        for fallback in fallbacks {
            try check(Fallback.isKnownVersion(fallback.version), "fallback version \(fallback.version) is not 0-18")
            try fallback.validate()
        }
        for hop in routeHints.flatMap(\.hops) {
            try check(hop.publicKey.count == 33, "route hint node id must be 33 bytes")
        }
        try check(routeHints.allSatisfy { !$0.hops.isEmpty }, "a route hint needs at least one hop")
    }

    /// Every field to write as (type, words), in `fieldOrder` first, then in canonical order.
    private func orderedFields(payeeKey: [UInt8]) -> [(FieldKind, RawTaggedField)] {
        var pending: [FieldKind: [RawTaggedField]] = [:]
        func add(_ kind: FieldKind, _ words: [UInt8]) {
            pending[kind, default: []].append(RawTaggedField(type: kind.rawValue, words: words))
        }
        add(.paymentHash, Words.fromBytes(paymentHash))
        if let paymentSecret { add(.paymentSecret, Words.fromBytes(paymentSecret)) }
        if let description { add(.description, Words.fromBytes(Array(description.utf8))) }
        if let descriptionHash { add(.descriptionHash, Words.fromBytes(descriptionHash)) }
        if fieldOrder.contains(.payee) || (fieldOrder.isEmpty && payee != nil) {
            add(.payee, Words.fromBytes(payeeKey))
        }
        if expiry != Invoice.defaultExpiry || fieldOrder.contains(.expiry) {
            add(.expiry, Words.fromInteger(expiry))
        }
        if minFinalCltvExpiry != Invoice.defaultMinFinalCltvExpiry || fieldOrder.contains(.minFinalCltvExpiry) {
            add(.minFinalCltvExpiry, Words.fromInteger(minFinalCltvExpiry))
        }
        for fallback in fallbacks { add(.fallback, [fallback.version] + Words.fromBytes(fallback.program)) }
        for hint in routeHints { add(.routeHint, Words.fromBytes(hint.bytes)) }
        if let features, !features.bits.isEmpty { add(.features, features.words) }
        if let metadata { add(.metadata, Words.fromBytes(metadata)) }
        pending[.ignored] = ignoredFields.isEmpty ? nil : ignoredFields

        var out: [(FieldKind, RawTaggedField)] = []
        // The k-th mention of a kind in `fieldOrder` places its k-th value.
        for kind in fieldOrder {
            guard var queue = pending[kind], !queue.isEmpty else { continue }
            out.append((kind, queue.removeFirst()))
            pending[kind] = queue
        }
        // Whatever the explicit order did not place goes after it, in canonical order.
        for kind in FieldKind.canonicalOrder {
            for field in pending[kind] ?? [] { out.append((kind, field)) }
        }
        return out
    }
}
