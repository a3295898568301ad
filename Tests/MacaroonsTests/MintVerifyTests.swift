import ByteEncoding
import Macaroons
import Testing

@Suite struct MintVerifyTests {
    let rootKey = Array(repeating: UInt8(7), count: 32)
    let identifier: [UInt8] = [0, 0] + Array(repeating: 0xab, count: 32) + Array(repeating: 0xcd, count: 32)

    struct Rejected: Error, Equatable { var predicate: String }

    @Test func verifySeesEveryCaveatInOrder() throws {
        let m = Macaroon(rootKey: rootKey, identifier: identifier, location: "l402")
            .addingFirstPartyCaveat("tool=weather")
            .addingFirstPartyCaveat("calls=3")
        var seen: [String] = []
        try m.verify(rootKey: rootKey) { seen.append($0.predicate ?? "?") }
        #expect(seen == ["tool=weather", "calls=3"])
    }

    @Test func checkerErrorIsRethrownUnchanged() {
        let m = Macaroon(rootKey: rootKey, identifier: identifier).addingFirstPartyCaveat("tool=weather")
        #expect(throws: Rejected(predicate: "tool=weather")) {
            try m.verify(rootKey: rootKey) { throw Rejected(predicate: $0.predicate ?? "") }
        }
    }

    @Test func wrongKeyOrTamperingFailsBeforeCaveatsAreChecked() throws {
        let m = Macaroon(rootKey: rootKey, identifier: identifier).addingFirstPartyCaveat("calls=3")
        var checked = false
        #expect(throws: MacaroonError.invalidSignature) {
            try m.verify(rootKey: Array(repeating: 8, count: 32)) { _ in checked = true }
        }
        // Swapping a caveat keeps the old signature: the chain no longer matches.
        var bytes = m.serialize()
        let digit = bytes.firstIndex(of: UInt8(ascii: "3"))!  // the caveat precedes the signature
        bytes[digit] = UInt8(ascii: "9")
        let forged = try Macaroon(bytes: bytes)
        #expect(forged.caveats[0].predicate == "calls=9")
        #expect(throws: MacaroonError.invalidSignature) { try forged.verify(rootKey: rootKey) { _ in checked = true } }
        #expect(!checked)
    }

    @Test func attenuationOnlyExtendsTheChain() throws {
        let base = Macaroon(rootKey: rootKey, identifier: identifier)
        let narrowed = base.addingFirstPartyCaveat("method=GET")
        #expect(narrowed.signature != base.signature)
        #expect(base.caveats.isEmpty)
        // Anyone can attenuate a decoded token without the root key; it still verifies.
        let delegated = try Macaroon(decoding: narrowed.encoded()).addingFirstPartyCaveat(bytes: [0xff, 0x00])
        try delegated.verify(rootKey: rootKey) { _ in }
        #expect(delegated.caveats[1].predicate == nil)
        #expect(delegated.caveats[1].isFirstParty)
    }

    @Test func everyFormatRoundTrips() throws {
        let m = Macaroon(rootKey: rootKey, identifier: identifier, location: "https://api.example/\"q\"\n")
            .addingFirstPartyCaveat("tool=weather")
            .addingFirstPartyCaveat(bytes: [0xc3, 0x28, 0x00])
            .addingFirstPartyCaveat("")
        for format in MacaroonFormat.allCases {
            let text = try m.encoded(format)
            let decoded = try Macaroon.decode(text)
            #expect(decoded.format == format)
            #expect(decoded.macaroon == m)
            #expect(try Macaroon(bytes: m.serialize(format)) == m)
        }
    }

    @Test func v2BinaryLayoutFollowsLibmacaroonsFormat() throws {
        let m = Macaroon(rootKey: rootKey, identifier: [1, 2, 3]).addingFirstPartyCaveat("a=b")
        // version, identifier(2) len 3, EOS, caveat id(2) len 3, EOS, EOS, signature(6) len 32; empty location omitted.
        let expected: [UInt8] = [2, 2, 3, 1, 2, 3, 0, 2, 3] + Array("a=b".utf8) + [0, 0, 6, 32] + m.signature
        #expect(m.serialize() == expected)
        #expect(m.encoded() == Base64.encode(expected))
    }

    @Test func decodesEveryBase64Spelling() throws {
        let m = Macaroon(rootKey: rootKey, identifier: identifier).addingFirstPartyCaveat("x=y")
        let std = m.encoded()
        for text in [std, Base64.encodeURLSafe(m.serialize()), String(std.prefix { $0 != "=" }), "  \(std)\n"] {
            #expect(try Macaroon(decoding: text) == m)
        }
    }
}
