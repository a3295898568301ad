import ByteEncoding
import Crypto
import Testing
@testable import Bolt11

@Suite struct EncodingTests {
    static func sample(_ edit: (inout Invoice) -> Void = { _ in }) -> Invoice {
        var invoice = Invoice(
            network: .regtest, amountMsat: 21_000, timestamp: 1_700_000_000,
            paymentHash: [UInt8](repeating: 7, count: 32), paymentSecret: [UInt8](repeating: 9, count: 32),
            description: "sample", features: .standardInvoice
        )
        edit(&invoice)
        return invoice
    }

    @Test func roundTripsEveryField() throws {
        let key = NodeKey.random()
        let invoice = Self.sample {
            $0.network = .signet
            $0.expiry = 86_400
            $0.minFinalCltvExpiry = 144
            $0.metadata = [1, 2, 3]
            $0.payee = key.publicKey
            $0.fallbacks = [Fallback(version: 0, program: [UInt8](repeating: 5, count: 20)),
                            Fallback(version: 1, program: [UInt8](repeating: 6, count: 32))]
            $0.routeHints = [RouteHint(hops: [RouteHop(publicKey: NodeKey.random().publicKey,
                                                       shortChannelId: ShortChannelID(block: 700_000, transaction: 12, output: 1),
                                                       feeBaseMsat: 1000, feeProportionalMillionths: 1, cltvExpiryDelta: 40)])]
            $0.ignoredFields = [RawTaggedField(type: 2, words: [1, 2, 3])]
        }
        let text = try invoice.encode(signingWith: key)
        #expect(text.hasPrefix("lntbs210n1"))
        var decoded = try Invoice.decode(text)
        #expect(decoded.fieldOrder == [.paymentHash, .paymentSecret, .description, .payee, .expiry, .minFinalCltvExpiry,
                                       .fallback, .fallback, .routeHint, .features, .metadata, .ignored])
        decoded.fieldOrder = []
        #expect(decoded == invoice)
        #expect(decoded.expiresAt == 1_700_086_400)
    }

    @Test func randomInvoicesRoundTrip() throws {
        let key = NodeKey.random()
        for index in 0..<150 {
            var invoice = RandomInvoice.make(index: index, payee: key.publicKey)
            if index % 2 == 1 {
                invoice.description = nil
                invoice.descriptionHash = RandomInvoice.bytes(32)
            }
            if index % 3 == 0 { invoice.metadata = RandomInvoice.bytes(Int.random(in: 0...40)) }
            if index % 4 == 0 {
                invoice.fallbacks = [Fallback(version: UInt8.random(in: 1...16), program: RandomInvoice.bytes(Int.random(in: 2...40)))]
            }
            if index % 5 == 0 { invoice.ignoredFields = [RawTaggedField(type: 2, words: (0..<index).map { UInt8($0 % 32) })] }
            var decoded = try Invoice.decode(invoice.encode(signingWith: key))
            decoded.fieldOrder = []
            invoice.payee = key.publicKey
            #expect(decoded == invoice)
        }
    }

    @Test func widestIntegersRoundTrip() throws {
        let text = try Self.sample { $0.expiry = .max; $0.minFinalCltvExpiry = .max - 1 }.encode(signingWith: Crafted.key)
        let decoded = try Invoice.decode(text)
        #expect(decoded.expiry == .max)
        #expect(decoded.minFinalCltvExpiry == UInt64.max - 1)
        #expect(decoded.expiresAt == .max)   // saturates instead of overflowing
    }

    @Test func defaultsAreNotWrittenAndPayeeIsRecovered() throws {
        let key = NodeKey.random()
        let text = try Self.sample().encode(signingWith: key)
        let decoded = try Invoice.decode(text)
        #expect(decoded.fieldOrder == [.paymentHash, .paymentSecret, .description, .features])
        #expect(decoded.expiry == 3600)
        #expect(decoded.minFinalCltvExpiry == 18)
        #expect(decoded.payee == key.publicKey)
    }

    @Test func amountsUseTheShortestMultiplier() throws {
        let cases: [(UInt64?, String)] = [
            (nil, "lnbcrt1"), (100_000_000_000, "lnbcrt11"), (200_000_000, "lnbcrt2m1"), (100_000, "lnbcrt1u1"),
            (1_000, "lnbcrt10n1"), (1, "lnbcrt10p1"), (12_345, "lnbcrt123450p1"), (UInt64.max, "lnbcrt184467440737095516150p1"),
        ]
        for (amount, prefix) in cases {
            let text = try Self.sample { $0.amountMsat = amount }.encode(signingWith: Crafted.key)
            #expect(text.hasPrefix(prefix))
            #expect(try Invoice.decode(text).amountMsat == amount)
        }
    }

    @Test func amountParsing() throws {
        #expect(try Amount.parse("1") == 100_000_000_000)
        #expect(try Amount.parse("2500u") == 250_000_000)
        #expect(try Amount.parse("20m") == 2_000_000_000)
        #expect(try Amount.parse("1n") == 100)
        #expect(try Amount.parse("10p") == 1)
        // Non-largest multipliers occur in the wild and are accepted.
        #expect(try Amount.parse("1000000u") == 100_000_000_000)
        #expect(throws: Bolt11Error.invalidAmount("u")) { try Amount.parse("u") }
        #expect(throws: Bolt11Error.invalidAmount("0m")) { try Amount.parse("0m") }
        #expect(throws: Bolt11Error.amountOverflow("999999999999999999999")) { try Amount.parse("999999999999999999999") }
        for _ in 0..<200 {
            let msat = UInt64.random(in: 1...UInt64.max)
            #expect(try Amount.parse(Amount.format(msat: msat)) == msat)
        }
    }

    @Test func refusesInvoicesThatWouldNotDecode() throws {
        let key = Crafted.key
        #expect(throws: Bolt11Error.missingPaymentSecret) { try Self.sample { $0.paymentSecret = nil }.encode(signingWith: key) }
        #expect(throws: Bolt11Error.missingDescription) { try Self.sample { $0.description = nil }.encode(signingWith: key) }
        #expect(throws: Bolt11Error.conflictingDescriptions) {
            try Self.sample { $0.descriptionHash = [UInt8](repeating: 0, count: 32) }.encode(signingWith: key)
        }
        #expect(throws: Bolt11Error.payeeMismatch) {
            try Self.sample { $0.payee = NodeKey.random().publicKey }.encode(signingWith: key)
        }
        #expect(throws: Bolt11Error.unknownRequiredFeature(bit: 200)) {
            try Self.sample { $0.features = FeatureBits([8, 200]) }.encode(signingWith: key)
        }
        #expect(throws: Bolt11Error.invalidFieldValue("amount must be positive or absent")) {
            try Self.sample { $0.amountMsat = 0 }.encode(signingWith: key)
        }
        #expect(throws: Bolt11Error.invalidFieldValue("timestamp 34359738368 does not fit in 35 bits")) {
            try Self.sample { $0.timestamp = 1 << 35 }.encode(signingWith: key)
        }
        #expect(throws: Bolt11Error.invalidFieldValue("payment hash must be 32 bytes, not 31")) {
            try Self.sample { $0.paymentHash.removeLast() }.encode(signingWith: key)
        }
        // 640 bytes need 1024 words; the 10-bit length stops at 1023 (639 bytes).
        #expect(throws: Bolt11Error.invalidFieldValue("field 'd' needs 1024 words, at most 1023 fit")) {
            try Self.sample { $0.description = String(repeating: "x", count: 640) }.encode(signingWith: key)
        }
        let longest = try Self.sample { $0.description = String(repeating: "x", count: 639) }.encode(signingWith: key)
        #expect(try Invoice.decode(longest).description?.count == 639)
    }

    @Test func signaturesAreDeterministicAndLowS() throws {
        let key = NodeKey.random()
        let invoice = Self.sample()
        let first = try invoice.encode(signingWith: key)
        #expect(try invoice.encode(signingWith: key) == first)
        let halfOrder: [UInt8] = try Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")
        for _ in 0..<20 {
            let text = try Self.sample { $0.paymentHash = RandomInvoice.bytes(32) }.encode(signingWith: key)
            let words = try Bech32.decode(text).words
            let s = Array(Words.toBytes(words.suffix(104))[32..<64])
            #expect(s.lexicographicallyPrecedes(halfOrder) || s == halfOrder)
        }
    }

    @Test func fallbackAddressesRoundTrip() throws {
        let addresses: [(String, Network)] = [
            ("mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP", .testnet), ("1RustyRX2oai4EYYDpQGWvEL62BBGqN9T", .bitcoin),
            ("3EktnHQD7RiAE6uzMj2ZifT9YgRrkSgzQX", .bitcoin), ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", .bitcoin),
            ("bc1pptdvg0d2nj99568qn6ssdy4cygnwuxgw2ukmnwgwz7jpqjz2kszse2s3lm", .bitcoin),
        ]
        for (address, network) in addresses {
            #expect(try Fallback(address: address, network: network).address(on: network) == address)
        }
        #expect(throws: Bolt11Error.self) { try Fallback(address: "1RustyRX2oai4EYYDpQGWvEL62BBGqN9U", network: .bitcoin) }
        #expect(throws: Bolt11Error.self) { try Fallback(address: "mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP", network: .bitcoin) }
    }
}

@Suite struct NodeKeyTests {
    static let curveOrder = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"

    @Test func rejectsKeysOutsideTheCurveOrder() throws {
        #expect(throws: Bolt11Error.invalidPrivateKey) { try NodeKey(privateKey: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: Bolt11Error.invalidPrivateKey) { try NodeKey(privateKey: Hex.decode(Self.curveOrder)) }
        #expect(throws: Bolt11Error.invalidPrivateKey) { try NodeKey(privateKey: [UInt8](repeating: 1, count: 31)) }
        var belowOrder: [UInt8] = try Hex.decode(Self.curveOrder)
        belowOrder[31] -= 1
        #expect(try NodeKey(privateKey: belowOrder).publicKey.count == 33)
    }

    @Test func randomKeysAreValidAndDistinct() throws {
        let keys = (0..<50).map { _ in NodeKey.random() }
        #expect(Set(keys.map(\.privateKey)).count == 50)
        for key in keys {
            #expect(try NodeKey(privateKey: key.privateKey).publicKey == key.publicKey)
            #expect([0x02, 0x03].contains(key.publicKey[0]))
        }
    }

    @Test func descriptionShowsOnlyThePublicKey() {
        let key = NodeKey.random()
        for text in [key.description, key.debugDescription, "\(key)", String(reflecting: key)] {
            #expect(!text.contains(Hex.encode(key.privateKey)))
            #expect(text.contains(Hex.encode(key.publicKey)))
        }
    }
}
