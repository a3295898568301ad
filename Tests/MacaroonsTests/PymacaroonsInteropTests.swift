import ByteEncoding
import Foundation
import Macaroons
import Testing
import TestSupport

/// Both directions against pymacaroons (PyPI), in V1, V2 and V2 JSON.
@Suite struct PymacaroonsInteropTests {
    typealias F = InteropFixtures

    /// pymacaroons V1 cannot serialize a non-UTF-8 identifier (it converts it to str), so binary
    /// identifiers are exercised in V2 only.
    static let cases: [F.MintCase] = [
        (F.textIdentifierHex, "https://api.example/", F.manyCaveats, 1, false),
        (F.textIdentifierHex, "", F.l402Caveats, 1, false),
        (F.l402IdentifierHex, "", F.l402Caveats, 2, false),
        (F.l402IdentifierHex, "https://api.example/", F.manyCaveats, 2, false),
        (F.l402IdentifierHex, "loc", F.manyCaveats, 2, true),
        (F.textIdentifierHex, "", [], 2, true),
    ]

    @Test func pymacaroonsMintedVerifyInSwift() throws {
        let requests = Self.cases.map { Peers.Request.mint(key: F.rootKeyHex, id: $0.id, location: $0.location, caveats: F.hex($0.caveats), version: $0.version, json: $0.json) }
        let minted: [Peers.Minted] = try Peers.pymacaroons(requests)
        for (spec, token) in zip(Self.cases, minted) {
            try F.expectDecodes(token, as: spec)
        }
    }

    @Test func swiftMintedVerifyAndInspectIdenticallyInPymacaroons() throws {
        var tokens: [F.ExpectedReading] = []
        // V2 straight from the CLI, its `inspect` output compared with pymacaroons' view.
        for spec in Self.cases where spec.version == 2 && !spec.json {
            let minted = try Subprocess.l402(["macaroon", "mint", "--root-key", F.rootKeyHex, "--identifier", spec.id, "--location", spec.location]
                + spec.caveats.flatMap { ["--caveat", $0] })
            // An empty caveat is no key=value; the CLI refuses it, so leave those specs to the library.
            if spec.caveats.contains("") { #expect(minted.status != 0); continue }
            #expect(minted.status == 0, "\(minted.stderr)")
            let token = minted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let inspected = try Subprocess.l402(["macaroon", "inspect", token])
            let description = try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [String: Any]
            #expect(description?["format"] as? String == "v2")
            #expect(description?["identifier_hex"] as? String == spec.id)
            #expect(description?["location"] as? String == spec.location)
            #expect(description?["caveats"] as? [String] == spec.caveats)
            tokens.append((token, false, F.reading(of: try Macaroon(decoding: token), valid: true, version: 2)))
        }
        // Every format from the library, including binary identifiers and many caveats.
        for spec in Self.cases {
            var macaroon = Macaroon(rootKey: try Hex.decode(F.rootKeyHex), identifier: try Hex.decode(spec.id), location: spec.location)
            for caveat in spec.caveats { macaroon = macaroon.addingFirstPartyCaveat(caveat) }
            let format: MacaroonFormat = spec.json ? .v2j : spec.version == 1 ? .v1 : .v2
            for text in [try macaroon.encoded(format)] + (format == .v2j ? [] : [Base64.encodeURLSafe(try macaroon.serialize(format))]) {
                tokens.append((text, spec.json, F.reading(of: macaroon, valid: true, version: spec.version)))
            }
        }
        try F.expectPeerReads(tokens, peer: { try Peers.pymacaroons($0) })
    }

    @Test func attenuationCrossesLibrariesBothWays() throws {
        let key = try Hex.decode(F.rootKeyHex)
        // Swift mints, pymacaroons attenuates (V2 and V1), Swift verifies the longer chain.
        let ours = Macaroon(rootKey: key, identifier: Array("id".utf8)).addingFirstPartyCaveat("tool=weather")
        let attenuated: [Peers.Minted] = try Peers.pymacaroons([
            .attenuate(ours.encoded(), caveats: F.hex(["calls=1"])),
            .attenuate(try ours.encoded(.v1), caveats: F.hex(["calls=1"])),
            .attenuate(try ours.encoded(.v2j), caveats: F.hex(["calls=1"]), json: true),
        ])
        for answer in attenuated {
            var seen: [String] = []
            try Macaroon(decoding: answer.token).verify(rootKey: key) { seen.append($0.predicate ?? "") }
            #expect(seen == ["tool=weather", "calls=1"])
        }
        // pymacaroons mints, the l402 CLI attenuates, pymacaroons verifies.
        let minted: [Peers.Minted] = try Peers.pymacaroons([.mint(key: F.rootKeyHex, id: F.l402IdentifierHex, caveats: F.hex(["tool=weather"]), version: 2)])
        let narrowed = try Subprocess.l402(["macaroon", "attenuate", minted[0].token, "--caveat", "method=GET"])
        #expect(narrowed.status == 0, "\(narrowed.stderr)")
        let reading: [Peers.Reading] = try Peers.pymacaroons([.read(narrowed.stdout.trimmingCharacters(in: .whitespacesAndNewlines), key: F.rootKeyHex)])
        #expect(reading[0].valid)
        #expect(reading[0].caveats.map(\.id_hex) == F.hex(["tool=weather", "method=GET"]))
    }

    /// pymacaroons writes an empty location field (`01 00`) where go-macaroon and we omit it; both decode the same.
    @Test func emptyLocationFieldIsAcceptedThoughWeOmitIt() throws {
        let minted: [Peers.Minted] = try Peers.pymacaroons([.mint(key: F.rootKeyHex, id: F.textIdentifierHex, caveats: F.hex(["a=b"]), version: 2)])
        let theirs = try Base64.decode(minted[0].token)
        #expect(Array(theirs.prefix(3)) == [2, 1, 0])
        let macaroon = try Macaroon(bytes: theirs)
        #expect(macaroon.location == "")
        let ours = macaroon.serialize()
        #expect(ours.count == theirs.count - 2)
        #expect(try Macaroon(bytes: ours) == macaroon)
        try macaroon.verify(rootKey: try Hex.decode(F.rootKeyHex)) { _ in }
    }
}
