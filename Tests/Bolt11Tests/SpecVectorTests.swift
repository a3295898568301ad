import ByteEncoding
import Crypto
import Testing
@testable import Bolt11

/// The fields the BOLT-11 specification documents for each of its example invoices.
struct SpecExample: CustomTestStringConvertible, Sendable {
    var name: String
    var invoice: String
    var network: Network = .bitcoin
    var amountMsat: UInt64?
    var timestamp: UInt64 = 1_496_314_658
    var paymentHash = SpecExample.paymentHash
    var paymentSecret: String? = String(repeating: "11", count: 32)
    var description: String?
    var hashedDescription: String?
    var expiry: UInt64 = 3600
    var minFinalCltvExpiry: UInt64 = 18
    var features: [Int] = [8, 14]
    var fallbackAddresses: [String] = []
    var routeHints: [[RouteHop]] = []
    var metadata: String?
    /// The tag letters in the order the invoice string carries its fields.
    var order: String

    static let privateKey = "e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734"
    static let payee = "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad"
    static let paymentHash = "0001020304050607080900010203040506070809000102030405060708090102"
    static let chocolate = "One piece of chocolate cake, one icecream cone, one pickle, one slice of swiss cheese, "
        + "one slice of salami, one lollypop, one piece of cherry pie, one sausage, one cupcake, and one slice of watermelon"

    var testDescription: String { name }

    /// The invoice model built from the documented fields alone.
    func model() throws -> Invoice {
        Invoice(
            network: network, amountMsat: amountMsat, timestamp: timestamp,
            paymentHash: try Hex.decode(paymentHash), paymentSecret: try paymentSecret.map { try Hex.decode($0) },
            description: description,
            descriptionHash: hashedDescription.map { Array(SHA256.hash(data: Array($0.utf8))) },
            expiry: expiry, minFinalCltvExpiry: minFinalCltvExpiry, payee: try Hex.decode(Self.payee),
            features: FeatureBits(features), metadata: try metadata.map { try Hex.decode($0) },
            fallbacks: try fallbackAddresses.map { try Fallback(address: $0, network: network) },
            routeHints: routeHints.map { RouteHint(hops: $0) },
            fieldOrder: order.map { letter in FieldKind.allCases.first { $0.letter == letter }! }
        )
    }

    static func hop(_ key: String, _ scid: UInt64, _ base: UInt32, _ rate: UInt32, _ delta: UInt16) -> RouteHop {
        RouteHop(publicKey: try! Hex.decode(key), shortChannelId: ShortChannelID(rawValue: scid),
                 feeBaseMsat: base, feeProportionalMillionths: rate, cltvExpiryDelta: delta)
    }

    static let reencodable: [SpecExample] = [
        SpecExample(name: "donation", invoice: SpecInvoices.donation,
                    description: "Please consider supporting this project", order: "spd9"),
        SpecExample(name: "coffee within one minute", invoice: SpecInvoices.coffee, amountMsat: 250_000_000,
                    description: "1 cup coffee", expiry: 60, order: "spdx9"),
        SpecExample(name: "nonsense (UTF-8)", invoice: SpecInvoices.nonsense, amountMsat: 250_000_000,
                    description: "ナンセンス 1杯", expiry: 60, order: "spdx9"),
        SpecExample(name: "hashed description", invoice: SpecInvoices.hashed, amountMsat: 2_000_000_000,
                    hashedDescription: chocolate, order: "sph9"),
        SpecExample(name: "testnet P2PKH fallback", invoice: SpecInvoices.testnetP2PKH, network: .testnet,
                    amountMsat: 2_000_000_000, hashedDescription: chocolate,
                    fallbackAddresses: ["mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP"], order: "shpf9"),
        SpecExample(name: "P2PKH fallback and route hints", invoice: SpecInvoices.routeHints, amountMsat: 2_000_000_000,
                    hashedDescription: chocolate, fallbackAddresses: ["1RustyRX2oai4EYYDpQGWvEL62BBGqN9T"],
                    routeHints: [[
                        hop("029e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255", 0x0102_0304_0506_0708, 1, 20, 3),
                        hop("039e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255", 0x0304_0506_0708_090a, 2, 30, 4),
                    ]], order: "sphfr9"),
        SpecExample(name: "P2SH fallback", invoice: SpecInvoices.p2sh, amountMsat: 2_000_000_000,
                    hashedDescription: chocolate, fallbackAddresses: ["3EktnHQD7RiAE6uzMj2ZifT9YgRrkSgzQX"], order: "shpf9"),
        SpecExample(name: "P2WPKH fallback", invoice: SpecInvoices.p2wpkh, amountMsat: 2_000_000_000,
                    hashedDescription: chocolate, fallbackAddresses: ["bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"],
                    order: "shpf9"),
        SpecExample(name: "P2WSH fallback", invoice: SpecInvoices.p2wsh, amountMsat: 2_000_000_000,
                    hashedDescription: chocolate,
                    fallbackAddresses: ["bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3"], order: "shpf9"),
        SpecExample(name: "P2TR fallback", invoice: SpecInvoices.p2tr, amountMsat: 2_000_000_000,
                    hashedDescription: chocolate,
                    fallbackAddresses: ["bc1pptdvg0d2nj99568qn6ssdy4cygnwuxgw2ukmnwgwz7jpqjz2kszse2s3lm"], order: "sphf9"),
        SpecExample(name: "pico-BTC amount", invoice: SpecInvoices.pico, amountMsat: 967_878_534, timestamp: 1_572_468_703,
                    paymentHash: "462264ede7e14047e9b249da94fefc47f41f7d02ee9b091815a5506bc8abf75f",
                    description: "Blockstream Store: 88.85 USD for Blockstream Ledger Nano S x 1, \"Back In My Day\" Sticker x 2, "
                        + "\"I Got Lightning Working\" Sticker x 2 and 1 more items",
                    expiry: 604_800, minFinalCltvExpiry: 10,
                    routeHints: [[hop("03d06758583bb5154774a6eb221b1276c9e82d65bbaceca806d90e20c108f4b1c7",
                                      ShortChannelID(block: 589_390, transaction: 3312, output: 1).rawValue, 1000, 2500, 40)]],
                    order: "pdsxcr9"),
        SpecExample(name: "features 8, 14 and 99", invoice: SpecInvoices.coffeeBeans, amountMsat: 2_500_000_000,
                    description: "coffee beans", features: [8, 14, 99], order: "pds9"),
        SpecExample(name: "all upper case", invoice: SpecInvoices.upperCase, amountMsat: 2_500_000_000,
                    description: "coffee beans", features: [8, 14, 99], order: "pds9"),
        SpecExample(name: "payment metadata", invoice: SpecInvoices.metadata, amountMsat: 1_000_000_000,
                    description: "payment metadata inside", features: [8, 14, 48], metadata: "01fafaf0", order: "pdms9"),
    ]

    /// Valid, but the spec's encoder would not write them this way: skipped fields, and a high-S signature.
    static let decodeOnly: [SpecExample] = [
        SpecExample(name: "fields which must be ignored", invoice: SpecInvoices.ignoredFields, amountMsat: 2_500_000_000,
                    description: "coffee beans", features: [8, 14, 99], order: "pds9"),
        SpecExample(name: "high-S signature, key recovered", invoice: SpecInvoices.highS,
                    description: "Please consider supporting this project", order: "spd9"),
    ]
}

@Suite struct SpecVectorTests {
    @Test func specKeyIsTheDocumentedPayee() throws {
        let key = try NodeKey(privateKey: Hex.decode(SpecExample.privateKey))
        #expect(Hex.encode(key.publicKey) == SpecExample.payee)
    }

    @Test(arguments: SpecExample.reencodable + SpecExample.decodeOnly)
    func decodesToDocumentedFields(_ example: SpecExample) throws {
        let decoded = try Invoice.decode(example.invoice)
        var expected = try example.model()
        // Skipped fields are not documented as values, only as "ignored": compare them apart.
        expected.ignoredFields = decoded.ignoredFields
        expected.fieldOrder = decoded.fieldOrder.filter { $0 != .ignored }
        var comparable = decoded
        comparable.fieldOrder = decoded.fieldOrder.filter { $0 != .ignored }
        #expect(comparable == expected)
        #expect(decoded.fieldOrder.filter { $0 != .ignored }.map(\.letter) == Array(example.order))
        #expect(decoded.fallbacks.map { $0.address(on: example.network) } == example.fallbackAddresses)
    }

    @Test(arguments: SpecExample.reencodable)
    func encoderRecreatesTheExampleByteForByte(_ example: SpecExample) throws {
        let key = try NodeKey(privateKey: Hex.decode(SpecExample.privateKey))
        let encoded = try example.model().encode(signingWith: key)
        // Writers emit lower case; the upper-case example is the same invoice shouted.
        #expect(encoded == example.invoice.lowercased())
    }

    @Test func ignoredFieldsAreKeptAndSkipped() throws {
        let decoded = try Invoice.decode(SpecInvoices.ignoredFields)
        // unknown type 2; f version 19; p, h, s of 51 and 53 words; n of 52 and 54 words.
        #expect(decoded.ignoredFields.map { Bech32.character($0.type) } == Array("2fpphhssnn"))
        #expect(decoded.ignoredFields.map(\.words.count) == [3, 33, 51, 53, 51, 53, 51, 53, 52, 54])
        // Kept verbatim and in place, so re-encoding with the spec's key gives the original back.
        let key = try NodeKey(privateKey: Hex.decode(SpecExample.privateKey))
        #expect(try decoded.encode(signingWith: key) == SpecInvoices.ignoredFields)
    }

    @Test func highSExampleSharesRAndRecoversTheSameKeyAsItsLowSTwin() throws {
        let high = try Invoice.decode(SpecInvoices.highS)
        let low = try Invoice.decode(SpecInvoices.donation)
        #expect(high == low)
        #expect(SpecInvoices.highS != SpecInvoices.donation)
    }

    struct InvalidExample: CustomTestStringConvertible, Sendable {
        var name: String
        var invoice: String
        var error: Bolt11Error
        var testDescription: String { name }
    }

    static let invalid: [InvalidExample] = [
        InvalidExample(name: "unknown compulsory feature 100", invoice: SpecInvoices.unknownFeature,
                       error: .unknownRequiredFeature(bit: 100)),
        InvalidExample(name: "bad checksum", invoice: SpecInvoices.badChecksum, error: .invalidChecksum),
        InvalidExample(name: "no separator", invoice: SpecInvoices.noSeparator, error: .missingSeparator),
        InvalidExample(name: "mixed case", invoice: SpecInvoices.mixedCase, error: .mixedCase),
        InvalidExample(name: "signature not recoverable", invoice: SpecInvoices.notRecoverable,
                       error: .signatureNotRecoverable),
        InvalidExample(name: "too short", invoice: SpecInvoices.tooShort, error: .tooShort(words: 114 - 5 - 6)),
        InvalidExample(name: "invalid multiplier", invoice: SpecInvoices.badMultiplier, error: .invalidMultiplier("x")),
        InvalidExample(name: "sub-millisatoshi amount", invoice: SpecInvoices.subMsat,
                       error: .subMillisatoshiAmount("2500000001p")),
        InvalidExample(name: "missing payment secret", invoice: SpecInvoices.missingSecret, error: .missingPaymentSecret),
        InvalidExample(name: "high-S signature with n field", invoice: SpecInvoices.highSWithPayee, error: .highSSignature),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidExample(_ example: InvalidExample) {
        #expect(throws: example.error) { try Invoice.decode(example.invoice) }
    }

    @Test func specListsTenInvalidExamples() {
        #expect(Self.invalid.count == 10)
    }
}
