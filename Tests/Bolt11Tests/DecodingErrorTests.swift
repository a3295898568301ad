import ByteEncoding
import Testing
@testable import Bolt11

@Suite struct DecodingErrorTests {
    @Test func craftedBaselineDecodes() throws {
        let invoice = try Invoice.decode(Crafted.invoice(Crafted.required))
        #expect(invoice.network == .regtest)
        #expect(invoice.amountMsat == 1_000_000)
        #expect(invoice.description == "crafted")
        #expect(invoice.payee == Crafted.key.publicKey)
    }

    @Test func humanReadablePart() {
        let fields = Crafted.required
        #expect(throws: Bolt11Error.invalidPrefix("xxbc")) { try Invoice.decode(Crafted.invoice(fields, hrp: "xxbc")) }
        #expect(throws: Bolt11Error.unknownNetwork("ltc")) { try Invoice.decode(Crafted.invoice(fields, hrp: "lnltc10u")) }
        #expect(throws: Bolt11Error.invalidAmount("010u")) { try Invoice.decode(Crafted.invoice(fields, hrp: "lnbc010u")) }
        #expect(throws: Bolt11Error.invalidAmount("0")) { try Invoice.decode(Crafted.invoice(fields, hrp: "lnbc0")) }
        #expect(throws: Bolt11Error.invalidAmount("1.5m")) { try Invoice.decode(Crafted.invoice(fields, hrp: "lnbc1.5m")) }
        #expect(throws: Bolt11Error.invalidMultiplier("k")) { try Invoice.decode(Crafted.invoice(fields, hrp: "lnbc10k")) }
        #expect(throws: Bolt11Error.subMillisatoshiAmount("15p")) { try Invoice.decode(Crafted.invoice(fields, hrp: "lnbc15p")) }
        #expect(throws: Bolt11Error.amountOverflow("200000000000")) {
            try Invoice.decode(Crafted.invoice(fields, hrp: "lnbc200000000000"))
        }
    }

    @Test func tagsOfEveryNetworkAreRecognised() throws {
        for network in Network.allCases {
            let invoice = try Invoice.decode(Crafted.invoice(Crafted.required, hrp: network.invoicePrefix + "1m"))
            #expect(invoice.network == network)
            #expect(invoice.amountMsat == 100_000_000)
        }
    }

    @Test func requiredFields() {
        let (p, s, d) = (Crafted.paymentHash, Crafted.paymentSecret, Crafted.description)
        let h = Crafted.field(.descriptionHash, bytes: [UInt8](repeating: 3, count: 32))
        #expect(throws: Bolt11Error.missingPaymentHash) { try Invoice.decode(Crafted.invoice([s, d])) }
        #expect(throws: Bolt11Error.missingPaymentSecret) { try Invoice.decode(Crafted.invoice([p, d])) }
        #expect(throws: Bolt11Error.missingDescription) { try Invoice.decode(Crafted.invoice([p, s])) }
        #expect(throws: Bolt11Error.conflictingDescriptions) { try Invoice.decode(Crafted.invoice([p, s, d, h])) }
    }

    @Test func nonMinimalAndOverlongIntegers() {
        for kind in [FieldKind.expiry, .minFinalCltvExpiry, .features] {
            #expect(throws: Bolt11Error.nonMinimalField(tag: kind.letter)) {
                try Invoice.decode(Crafted.invoice(Crafted.required + [Crafted.field(kind, [0, 1])]))
            }
        }
        // 13 words = 65 bits: one more than a UInt64 holds.
        for kind in [FieldKind.expiry, .minFinalCltvExpiry] {
            #expect(throws: Bolt11Error.fieldOverflow(tag: kind.letter)) {
                try Invoice.decode(Crafted.invoice(Crafted.required + [Crafted.field(kind, [UInt8](repeating: 31, count: 13))]))
            }
        }
        // 12 words = 60 bits still fit.
        let widest = Crafted.invoice(Crafted.required + [Crafted.field(.expiry, [UInt8](repeating: 31, count: 12))])
        #expect((try? Invoice.decode(widest))?.expiry == 1 << 60 - 1)
    }

    @Test func malformedFieldContents() {
        let badUTF8 = Crafted.field(.description, bytes: [0x66, 0xff, 0xfe])
        #expect(throws: Bolt11Error.invalidDescriptionEncoding) {
            try Invoice.decode(Crafted.invoice([Crafted.paymentHash, Crafted.paymentSecret, badUTF8]))
        }
        let notAPoint = Crafted.field(.payee, bytes: [0x05] + [UInt8](repeating: 0, count: 32))
        #expect(throws: Bolt11Error.invalidPayeeKey) { try Invoice.decode(Crafted.invoice(Crafted.required + [notAPoint])) }
        let shortHint = Crafted.field(.routeHint, bytes: [UInt8](repeating: 2, count: 50))
        #expect(throws: Bolt11Error.malformedField(tag: "r", reason: "50 bytes is not a whole number of 51-byte hops")) {
            try Invoice.decode(Crafted.invoice(Crafted.required + [shortHint]))
        }
        let shortWitness = Crafted.field(.fallback, [0] + Words.fromBytes([1, 2, 3]))
        #expect(throws: Bolt11Error.malformedField(tag: "f", reason: "version 0 cannot have a 3-byte program")) {
            try Invoice.decode(Crafted.invoice(Crafted.required + [shortWitness]))
        }
        #expect(throws: Bolt11Error.malformedField(tag: "f", reason: "empty")) {
            try Invoice.decode(Crafted.invoice(Crafted.required + [Crafted.field(.fallback, [])]))
        }
    }

    @Test func unknownEvenFeatureFailsUnknownOddIsIgnored() throws {
        let odd = FeatureBits([8, 14, 101])
        let even = FeatureBits([8, 14, 100])
        #expect(try Invoice.decode(Crafted.invoice(Crafted.required + [Crafted.field(.features, odd.words)])).features == odd)
        #expect(throws: Bolt11Error.unknownRequiredFeature(bit: 100)) {
            try Invoice.decode(Crafted.invoice(Crafted.required + [Crafted.field(.features, even.words)]))
        }
    }

    @Test func truncatedFields() {
        let valid = Crafted.invoice(Crafted.required)
        // Claim a 1023-word description: it runs into the signature.
        let overlong = Crafted.rechecksummed(valid) { words in
            let descriptionStart = 7 + 55 + 55
            words[descriptionStart + 1] = 31
            words[descriptionStart + 2] = 31
        }
        #expect(throws: Bolt11Error.truncatedField(tag: "d", declared: 1023, available: 12)) { try Invoice.decode(overlong) }
        // A field header cut after its type word.
        let cut = Crafted.invoice(Crafted.required + [(Crafted.paymentHash.0, [])])
        let headerOnly = Crafted.rechecksummed(cut) { words in words.remove(at: words.count - 105) }
        #expect(throws: Bolt11Error.truncatedFieldHeader(tag: "p")) { try Invoice.decode(headerOnly) }
    }

    @Test func bech32Layer() throws {
        let valid = Crafted.invoice(Crafted.required)
        #expect(throws: Bolt11Error.empty) { try Invoice.decode("") }
        #expect(throws: Bolt11Error.mixedCase) { try Invoice.decode("L" + valid.dropFirst()) }
        #expect(throws: Bolt11Error.invalidCharacter("b", offset: 12)) {
            try Invoice.decode(String(valid.prefix(12)) + "b" + valid.dropFirst(13))
        }
        #expect(throws: Bolt11Error.invalidCharacter(" ", offset: 3)) { try Invoice.decode("lnb c1qqqqqq") }
        #expect(throws: Bolt11Error.missingSeparator) { try Invoice.decode("1qqqqqqqq") }
        #expect(throws: Bolt11Error.tooShort(words: 3)) { try Invoice.decode("lnbc1qqq") }
        let plain = try? Invoice.decode(valid)
        #expect(plain != nil)
        #expect(try Invoice.decode(valid.uppercased()) == plain)
        #expect(try Invoice.decode("lightning:" + valid) == plain)
        #expect(try Invoice.decode("LIGHTNING:" + valid.uppercased()) == plain)
    }

    @Test func everySingleCharacterChangeBreaksTheChecksum() {
        let valid = Crafted.invoice(Crafted.required)
        let chars = Array(valid)
        let separator = chars.lastIndex(of: "1")!
        for index in (separator + 1)..<chars.count {
            var changed = chars
            changed[index] = chars[index] == "q" ? "p" : "q"
            #expect(throws: Bolt11Error.invalidChecksum) { try Invoice.decode(String(changed)) }
        }
    }

    @Test func signatureErrors() throws {
        let valid = Crafted.invoice(Crafted.required)
        let signatureStart = try Bech32.decode(valid).words.count - 104
        func withSignatureBytes(_ edit: (inout [UInt8]) -> Void) -> String {
            Crafted.rechecksummed(valid) { words in
                var bytes = Words.toBytes(words[signatureStart...])
                edit(&bytes)
                words.replaceSubrange(signatureStart..., with: Words.fromBytes(bytes))
            }
        }
        #expect(throws: Bolt11Error.invalidRecoveryId(4)) { try Invoice.decode(withSignatureBytes { $0[64] = 4 }) }
        // r above the curve order is not a signature at all.
        let hugeR = withSignatureBytes { $0.replaceSubrange(0..<32, with: [UInt8](repeating: 0xff, count: 32)) }
        #expect(throws: Bolt11Error.invalidSignature) { try Invoice.decode(hugeR) }
        let (shown, error) = try Invoice.decodeUnverified(hugeR)
        #expect(error == .invalidSignature)
        #expect(shown.description == "crafted")
        #expect(shown.payee == nil)
        // A signature by another key over an invoice naming this payee in `n`.
        let other = NodeKey.random()
        let lying = Crafted.invoice(Crafted.required + [Crafted.field(.payee, bytes: other.publicKey)])
        #expect(throws: Bolt11Error.invalidSignature) { try Invoice.decode(lying) }
        // Without `n`, any change to the signed data recovers some other key: never the payee.
        let tampered = Crafted.rechecksummed(valid) { $0[3] ^= 1 }
        #expect(try Invoice.decode(tampered).payee != Crafted.key.publicKey)
    }

    @Test func payeeFieldIsCheckedNotRecovered() throws {
        let text = Crafted.invoice(Crafted.required + [Crafted.field(.payee, bytes: Crafted.key.publicKey)])
        let invoice = try Invoice.decode(text)
        #expect(invoice.payee == Crafted.key.publicKey)
        #expect(invoice.fieldOrder == [.paymentHash, .paymentSecret, .description, .payee])
        #expect(try invoice.encode(signingWith: Crafted.key) == text)
    }

    @Test func errorsDescribeThemselves() {
        #expect(Bolt11Error.unknownRequiredFeature(bit: 100).description.contains("100"))
        #expect(Bolt11Error.truncatedField(tag: "d", declared: 9, available: 2).description.contains("'d'"))
    }
}
