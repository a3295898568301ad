import ByteEncoding
import Foundation
import L402
import Macaroons
import Testing

@Suite struct CredentialParsingTests {
    static let macaroon: Macaroon = {
        let identifier = try! L402Identifier(paymentHash: Array(repeating: 7, count: 32), tokenID: .random()).encoded()
        return Macaroon(rootKey: Array(repeating: 1, count: 32), identifier: identifier, location: "gateway")
            .addingFirstPartyCaveat("tool=weather")
    }()
    static let preimage = (0..<32).map { UInt8($0) }
    static let std = macaroon.encoded()
    static let url = Base64.encodeURLSafe(macaroon.serialize())
    static let hex = Hex.encode(preimage)

    @Test(arguments: [
        "L402 \(std):\(hex)", "LSAT \(std):\(hex)", "l402 \(std):\(hex)", "lsat \(url):\(hex)", "L402 \(url):\(hex.uppercased())",
        "L402   \(std):\(hex)  ", "L402\t\(std.replacingOccurrences(of: "=", with: "")):\(hex)",
    ])
    func acceptsEveryWireVariant(_ header: String) throws {
        let credential = try Credential(authorizationHeader: header)
        #expect(credential.macaroons == [Self.macaroon])
        #expect(credential.preimage == Self.preimage)
    }

    @Test func acceptsSeveralMacaroonsAndFormatsTheCanonicalHeader() throws {
        let attenuated = Self.macaroon.addingFirstPartyCaveat("calls=1")
        let header = "L402 \(Self.std), \(attenuated.encoded()):\(Self.hex)"
        let credential = try Credential(authorizationHeader: header)
        #expect(credential.macaroons == [Self.macaroon, attenuated])
        #expect(credential.headerValue == "L402 \(Self.std),\(attenuated.encoded()):\(Self.hex)")
        #expect(try Credential(authorizationHeader: credential.headerValue) == credential)
    }

    /// The request path takes binary macaroons only (V2, or V1 for old clients), as Aperture does.
    @Test func refusesAJSONMacaroonWithAPreciseError() throws {
        let json = Base64.encode(try Self.macaroon.serialize(.v2j))
        #expect(throws: CredentialError.invalidMacaroon(index: 0, .binaryRequired)) {
            try Credential(authorizationHeader: "L402 \(json):\(Self.hex)")
        }
        let v1 = Base64.encode(try Self.macaroon.serialize(.v1))
        #expect(try Credential(authorizationHeader: "L402 \(v1):\(Self.hex)").macaroons == [Self.macaroon])
    }

    @Test func refusesMoreThan64Caveats() throws {
        let crowded = (0..<65).reduce(Self.macaroon) { mac, _ in mac.addingFirstPartyCaveat("tool=weather") }
        #expect(throws: CredentialError.invalidMacaroon(index: 0, .tooManyCaveats(limit: 64))) {
            try Credential(authorizationHeader: "L402 \(crowded.encoded()):\(Self.hex)")
        }
    }

    /// At least forty kinds of garbage: each is a precise, typed error, never a crash.
    static let malformed: [(String, CredentialError?)] = [
        ("", .empty),
        ("   ", .empty),
        ("L402", .missingToken),
        ("LSAT   ", .missingToken),
        ("Bearer abc", .unsupportedScheme("Bearer")),
        ("Basic dXNlcjpwYXNz", .unsupportedScheme("Basic")),
        ("L402x \(std):\(hex)", .unsupportedScheme("L402x")),
        ("Macaroon \(std)", .unsupportedScheme("Macaroon")),
        ("\(std):\(hex)", .missingScheme),
        ("L402 \(std)", .missingPreimage),
        ("L402 \(std):", .missingPreimage),
        ("L402 :\(hex)", .missingMacaroon),
        ("L402  , :\(hex)", .emptyMacaroon(index: 0)),
        ("L402 \(std),:\(hex)", .emptyMacaroon(index: 1)),
        ("L402 \(std):\(hex.dropLast())", .invalidPreimageHex("odd number of hex digits (63)")),
        ("L402 \(std):\(hex.dropLast(2))", .wrongPreimageLength(31)),
        ("L402 \(std):\(hex)00", .wrongPreimageLength(33)),
        ("L402 \(std):zz\(hex.dropFirst(2))", .invalidPreimageHex("non-hex character at offset 0")),
        ("L402 \(std):\(hex.dropLast(2))g0", .invalidPreimageHex("non-hex character at offset 62")),
        ("L402 \(std):0x\(hex.dropFirst(2))", .invalidPreimageHex("non-hex character at offset 1")),
        ("L402 \(std):\(hex):\(hex)", nil),
        ("L402 \(std):\(hex) extra", nil),
        ("L402 !!!!:\(hex)", nil),
        ("L402 \(std.dropLast(3))*==:\(hex)", nil),
        ("L402 \(std)=====:\(hex)", nil),
        ("L402 Zg=Zg:\(hex)", nil),
        ("L402 A:\(hex)", nil),
        ("L402 AAAA:\(hex)", nil),
        ("L402 \(std.prefix(20)):\(hex)", nil),
        ("L402 \(std.prefix(std.count / 2)):\(hex)", nil),
        ("L402 \(Base64.encode(Array("hello world".utf8))):\(hex)", nil),
        ("L402 \(Base64.encode([2])):\(hex)", nil),
        ("L402 \(Base64.encode([2, 1, 200, 255, 255, 255, 255, 15])):\(hex)", nil),
        ("L402 \(Base64.encode(macaroon.serialize() + [0, 0])):\(hex)", nil),
        ("L402 \(Base64.encode(Array(macaroon.serialize().dropLast()))):\(hex)", nil),
        ("L402 \(Base64.encode([3] + macaroon.serialize().dropFirst())):\(hex)", nil),
        ("L402 \(Array(repeating: std, count: 9).joined(separator: ",")):\(hex)", .tooManyMacaroons(9)),
        ("L402 \(String(repeating: "A", count: 17_000)):\(hex)", .tooLong(17_006 + hex.count)),
        ("L402 \(std)é:\(hex)", nil),
        ("L402 \u{0}\(std):\(hex)", nil),
        ("L402 {\"v\":2}:\(hex)", nil),
        ("LSAT \(std);\(hex)", .missingPreimage),
        ("L402 \(std) \(hex)", .missingPreimage),
    ]

    @Test func thereAreAtLeastFortyMalformedCases() { #expect(Self.malformed.count >= 40) }

    @Test(arguments: malformed.indices)
    func rejectsMalformedHeaderWithAPreciseError(_ index: Int) {
        let (header, expected) = Self.malformed[index]
        do {
            _ = try Credential(authorizationHeader: header)
            Issue.record("accepted malformed header #\(index)")
        } catch {
            if let expected { #expect(error == expected, "header #\(index)") }
            #expect(!error.description.isEmpty)
            #expect(!error.description.contains(Self.hex), "the preimage must never appear in an error")
        }
    }
}
