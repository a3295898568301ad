import ByteEncoding
import Macaroons
import Testing

/// Both directions against libmacaroons, the C reference implementation (Debian's 0.3.0 speaks V1 only).
@Suite struct LibmacaroonsInteropTests {
    typealias F = InteropFixtures

    static let cases: [(id: String, location: String, caveats: [String])] = [
        (F.l402IdentifierHex, "", F.l402Caveats),
        (F.textIdentifierHex, "https://api.example/", F.manyCaveats.filter { !$0.isEmpty }),
    ]

    @Test func libmacaroonsMintedVerifyInSwift() throws {
        for spec in Self.cases {
            let token = try Peers.libmacaroons(["mint", F.rootKeyHex, spec.id, spec.location] + F.hex(spec.caveats))
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let (macaroon, format) = try Macaroon.decode(token)
            #expect(format == .v1)
            #expect(Hex.encode(macaroon.identifier) == spec.id)
            #expect(macaroon.location == spec.location)
            var seen: [String] = []
            try macaroon.verify(rootKey: try Hex.decode(F.rootKeyHex)) { seen.append($0.predicate ?? "") }
            #expect(seen == spec.caveats)
            // Byte for byte the same V1 packets; libmacaroons writes URL-safe unpadded base64.
            #expect(Base64.encodeURLSafe(try macaroon.serialize(.v1)) == token)
        }
    }

    @Test func swiftMintedVerifyInLibmacaroons() throws {
        for spec in Self.cases {
            var macaroon = Macaroon(rootKey: try Hex.decode(F.rootKeyHex), identifier: try Hex.decode(spec.id), location: spec.location)
            for caveat in spec.caveats { macaroon = macaroon.addingFirstPartyCaveat(caveat) }
            macaroon = macaroon.addingFirstPartyCaveat(bytes: [0xff, 0x00])
            let v1 = try macaroon.serialize(.v1)
            for token in [Base64.encodeURLSafe(v1), try macaroon.encoded(.v1)] {
                let reading = try Peers.libmacaroonsRead(token, key: F.rootKeyHex)
                #expect(reading == F.reading(of: macaroon, valid: true, version: 1), "token \(token)")
                #expect(try !Peers.libmacaroonsRead(token, key: F.otherKeyHex).valid)
            }
        }
    }
}
