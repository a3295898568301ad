import ByteEncoding
import Foundation
import Macaroons
import Testing
import TestSupport

/// Both directions against go-macaroon (gopkg.in/macaroon.v2), the library Aperture uses.
@Suite struct GoMacaroonInteropTests {
    typealias F = InteropFixtures

    /// go-macaroon refuses non-UTF-8 identifiers in V1, so binary identifiers go through V2 and JSON.
    static let cases: [F.MintCase] = [
        (F.textIdentifierHex, "https://api.example/", F.manyCaveats, 1, false),
        (F.l402IdentifierHex, "", F.l402Caveats, 2, false),
        (F.l402IdentifierHex, "https://api.example/", F.manyCaveats, 2, false),
        (F.l402IdentifierHex, "loc", F.manyCaveats, 2, true),
    ]

    @Test func goMintedVerifyInSwift() throws {
        let requests = Self.cases.map { Peers.Request.mint(key: F.rootKeyHex, id: $0.id, location: $0.location, caveats: F.hex($0.caveats), version: $0.version, json: $0.json) }
        let minted: [Peers.Minted] = try Peers.goMacaroon(requests)
        for (spec, token) in zip(Self.cases, minted) {
            let (macaroon, format) = try F.expectDecodes(token, as: spec)
            // go-macaroon's binary encodings are exactly ours (it omits an empty location, as we do).
            if !spec.json { #expect(try macaroon.encoded(format) == token.token) }
        }
    }

    @Test func swiftMintedVerifyInGo() throws {
        var tokens: [F.ExpectedReading] = []
        for spec in Self.cases {
            var macaroon = Macaroon(rootKey: try Hex.decode(F.rootKeyHex), identifier: try Hex.decode(spec.id), location: spec.location)
            for caveat in spec.caveats { macaroon = macaroon.addingFirstPartyCaveat(caveat) }
            // Binary caveats are fine for go-macaroon (pymacaroons insists on UTF-8).
            macaroon = macaroon.addingFirstPartyCaveat(bytes: [0xff, 0x00, 0xfe])
            let format: MacaroonFormat = spec.json ? .v2j : spec.version == 1 ? .v1 : .v2
            for text in [try macaroon.encoded(format)] + (spec.json ? [] : [Base64.encodeURLSafe(try macaroon.serialize(format))]) {
                tokens.append((text, spec.json, F.reading(of: macaroon, valid: true, version: spec.version)))
            }
        }
        try F.expectPeerReads(tokens, peer: { try Peers.goMacaroon($0) })
    }

    /// go-macaroon makes real third-party caveats (random nonce, encrypted caveat key); we keep them byte for byte.
    @Test func thirdPartyCaveatsRoundTripLosslessly() throws {
        // go-macaroon drops non-UTF-8 third-party caveat ids from V1, so these are text.
        let thirdParty = [Peers.Request.ThirdParty(key_hex: "01020304", id_hex: Hex.encode(Array("grant=read".utf8)), location: "https://auth.example/"),
                          Peers.Request.ThirdParty(key_hex: "05", id_hex: Hex.encode(Array("who=alice".utf8)), location: "")]
        let requests = [(1, false), (2, false), (2, true)].map { version, json in
            Peers.Request.mint(key: F.rootKeyHex, id: F.textIdentifierHex, location: "https://api.example/",
                               caveats: F.hex(["tool=weather"]), version: version, json: json, thirdParty: thirdParty)
        }
        let minted: [Peers.Minted] = try Peers.goMacaroon(requests)
        for (request, token) in zip(requests, minted) {
            let (macaroon, format) = try Macaroon.decode(token.token)
            try #require(macaroon.caveats.count == 3)
            #expect(macaroon.caveats[1].identifier == Array("grant=read".utf8))
            #expect(macaroon.caveats[1].location == "https://auth.example/")
            #expect(macaroon.caveats[1].verificationId?.count == 72)  // 24-byte nonce + secretbox of a 32-byte key
            #expect(!macaroon.caveats[2].isFirstParty)
            if request.json == true {
                let back: [Peers.Reading] = try Peers.goMacaroon([.read(try macaroon.encoded(.v2j), key: F.rootKeyHex, json: true)])
                #expect(back[0].caveats.map(\.vid_hex) == macaroon.caveats.map { $0.verificationId.map { Hex.encode($0) } })
                #expect(back[0].signature_hex == token.signature_hex)
            } else {
                #expect(try macaroon.encoded(format) == token.token)
            }
            // The chain, including libmacaroons' hash2 step, matches; the discharge is what we cannot check.
            #expect(throws: MacaroonError.thirdPartyCaveatUnsupported(index: 1)) {
                try macaroon.verify(rootKey: try Hex.decode(F.rootKeyHex)) { _ in }
            }
            #expect(throws: MacaroonError.invalidSignature) { try macaroon.verify(rootKey: [1]) { _ in } }
        }
    }
}
