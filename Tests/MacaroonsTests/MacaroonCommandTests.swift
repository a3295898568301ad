import ByteEncoding
import Foundation
import Macaroons
import Testing
import TestSupport

/// `l402 macaroon …` as a user runs it: the built binary, its output and exit status.
@Suite struct MacaroonCommandTests {
    static let key = "00112233445566778899aabbccddeeff"

    func mint(_ extra: [String] = []) throws -> String {
        let result = try Subprocess.l402(["macaroon", "mint", "--root-key", Self.key, "--identifier", "0000ab12"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func mintPrintsStandardBase64OfV2() throws {
        let token = try mint(["--location", "https://api.example", "--caveat", "tool=weather", "--caveat", "calls=3"])
        let bytes = try Base64.decode(token)
        #expect(bytes.first == 2)
        #expect(Base64.encode(bytes) == token)  // standard alphabet, padded
        let expected = Macaroon(rootKey: try Hex.decode(Self.key), identifier: [0, 0, 0xab, 0x12], location: "https://api.example")
            .addingFirstPartyCaveat("tool=weather").addingFirstPartyCaveat("calls=3")
        #expect(try Macaroon(bytes: bytes) == expected)
    }

    @Test func verifyExitsZeroWhenValidAndOneWithTheReasonOtherwise() throws {
        let token = try mint(["--caveat", "tool=weather"])
        let valid = try Subprocess.l402(["macaroon", "verify", "--root-key", Self.key, token])
        #expect(valid.status == 0)
        let wrongKey = try Subprocess.l402(["macaroon", "verify", "--root-key", "ff", token])
        #expect(wrongKey.status == 1)
        #expect(wrongKey.stderr.contains("signature does not match"))
        let garbage = try Subprocess.l402(["macaroon", "verify", "--root-key", Self.key, "AgE"])
        #expect(garbage.status == 1)
        #expect(garbage.stderr.contains("truncated"))
        // The root key never shows up in what the command prints.
        #expect(![valid.stdout, valid.stderr, wrongKey.stderr].joined().contains(Self.key))
    }

    @Test func inspectReadsEveryEncodingAndShowsThirdPartyCaveatsAsObjects() throws {
        let macaroon = try Macaroon(decoding: PublishedVectorTests.libmacaroonsV1)
        for (token, format) in [(PublishedVectorTests.libmacaroonsV1, "v1"), (PublishedVectorTests.goV2JSON, "v2j"),
                                (macaroon.encoded(), "v2"), (Base64.encodeURLSafe(macaroon.serialize()), "v2")] {
            let result = try Subprocess.l402(["macaroon", "inspect", token])
            #expect(result.status == 0, "\(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(json["format"] as? String == format)
            #expect(json["location"] as? String == "http://mybank/")
            #expect(json["identifier_hex"] as? String == Hex.encode(Array("we used our other secret key".utf8)))
            #expect(json["signature_hex"] as? String == PublishedVectorTests.thirdPartySignature)
            let caveats = try #require(json["caveats"] as? [Any])
            #expect(caveats.first as? String == "account = 3735928559")
            let thirdParty = try #require(caveats.last as? [String: String])
            #expect(thirdParty["location"] == "http://auth.mybank/")
            #expect(thirdParty["identifier_hex"] == Hex.encode(Array("this was how we remind auth of key/pred".utf8)))
            #expect(thirdParty["verification_id_hex"] == Hex.encode(try Base64.decode(PublishedVectorTests.vid)))
        }
        let bad = try Subprocess.l402(["macaroon", "inspect", "!!"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("not a macaroon"))
    }

    @Test func attenuateAddsCaveatsWithoutTheKey() throws {
        let token = try mint(["--caveat", "tool=weather"])
        let result = try Subprocess.l402(["macaroon", "attenuate", token, "--caveat", "method=GET", "--caveat", "path_prefix=/v1"])
        #expect(result.status == 0, "\(result.stderr)")
        var seen: [String] = []
        try Macaroon(decoding: result.stdout).verify(rootKey: try Hex.decode(Self.key)) { seen.append($0.predicate ?? "") }
        #expect(seen == ["tool=weather", "method=GET", "path_prefix=/v1"])
        // Malformed caveats and missing ones are usage errors.
        #expect(try Subprocess.l402(["macaroon", "attenuate", token, "--caveat", "no-equals"]).status != 0)
        #expect(try Subprocess.l402(["macaroon", "attenuate", token]).status != 0)
        #expect(try Subprocess.l402(["macaroon", "mint", "--root-key", "zz", "--identifier", "00"]).status != 0)
    }
}
