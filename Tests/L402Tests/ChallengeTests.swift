import ByteEncoding
import Foundation
import L402
import Macaroons
import Testing

@Suite struct ChallengeTests {
    static let macaroon = Macaroon(
        rootKey: Array(repeating: 9, count: 32),
        identifier: try! L402Identifier(paymentHash: Array(repeating: 3, count: 32), tokenID: .random()).encoded()
    ).addingFirstPartyCaveat("tool=weather")
    static let invoice = "lnbcrt210n1pexample"

    @Test func emitsAperturesFormLSATFirst() throws {
        let values = Challenge(macaroon: Self.macaroon, invoice: Self.invoice).headerValues
        let std = Self.macaroon.encoded()
        #expect(values == ["LSAT macaroon=\"\(std)\", invoice=\"\(Self.invoice)\"", "L402 macaroon=\"\(std)\", invoice=\"\(Self.invoice)\""])
        #expect(try Challenge.parse(headerValues: values) == Challenge(macaroon: Self.macaroon, invoice: Self.invoice))
    }

    @Test(arguments: [
        // the 2026 revision, any order, any case, unknown parameters ignored
        "L402 version=\"0\", token=\"%M\", invoice=\"%I\"",
        "l402 invoice=\"%I\", token=\"%M\", version=\"0\"",
        "LSAT realm=\"api\", macaroon=\"%M\", invoice=\"%I\", foo=bar",
        "L402 macaroon=%M, invoice=%I",
        "Bearer realm=\"x\", L402 macaroon=\"%M\", invoice=\"%I\"",
        "L402 macaroon=\"%U\", invoice=\"%I\"",
    ])
    func parsesTolerantly(_ template: String) throws {
        let value = template.replacingOccurrences(of: "%M", with: Self.macaroon.encoded())
            .replacingOccurrences(of: "%U", with: Base64.encodeURLSafe(Self.macaroon.serialize()))
            .replacingOccurrences(of: "%I", with: Self.invoice)
        let challenge = try Challenge.parse(headerValues: [value])
        #expect(challenge.macaroon == Self.macaroon)
        #expect(challenge.invoice == Self.invoice)
    }

    @Test func skipsOtherSchemesAcrossHeaders() throws {
        let values = ["Basic realm=\"x\"", Challenge(macaroon: Self.macaroon, invoice: Self.invoice).headerValues[1]]
        #expect(try Challenge.parse(headerValues: values).invoice == Self.invoice)
    }

    @Test func rejectsUnusableChallengesPrecisely() {
        let m = Self.macaroon.encoded()
        #expect(throws: ChallengeError.noL402Challenge) { try Challenge.parse(headerValues: []) }
        #expect(throws: ChallengeError.noL402Challenge) { try Challenge.parse(headerValues: ["Basic realm=\"x\""]) }
        #expect(throws: ChallengeError.missingParameter("invoice")) { try Challenge.parse(headerValues: ["L402 macaroon=\"\(m)\""]) }
        #expect(throws: ChallengeError.missingParameter("macaroon")) { try Challenge.parse(headerValues: ["L402 invoice=\"x\""]) }
        #expect(throws: ChallengeError.unsupportedVersion("1")) {
            try Challenge.parse(headerValues: ["L402 version=\"1\", token=\"\(m)\", invoice=\"x\""])
        }
        #expect(throws: ChallengeError.duplicateParameter("invoice")) {
            try Challenge.parse(headerValues: ["L402 macaroon=\"\(m)\", invoice=\"a\", invoice=\"b\""])
        }
        #expect(throws: ChallengeError.conflictingMacaroons) {
            try Challenge.parse(headerValues: ["L402 macaroon=\"\(m)\", token=\"AgEB\", invoice=\"a\""])
        }
        #expect(throws: ChallengeError.self) { try Challenge.parse(headerValues: ["L402 macaroon=\"!!\", invoice=\"a\""]) }
        #expect(throws: ChallengeError.self) { try Challenge.parse(headerValues: ["L402 macaroon=\"unterminated, invoice=\"a\""]) }
        #expect(throws: ChallengeError.tooLong(70_000)) {
            try Challenge.parse(headerValues: [String(repeating: "a", count: 70_000)])
        }
    }

    /// The body a client that reads JSON (`await res.json()`) sees, minted for real.
    @Test func mintedChallengeCarriesTheDocumentedBody() async throws {
        let fixture = Fixture()
        let minted = try await fixture.minter.mint(tool: "weather", priceSats: 21, calls: 3, validForSeconds: 60, memo: "w")
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(minted.jsonBody)) as! [String: Any]
        #expect(json["macaroon"] as? String == minted.macaroon.encoded())
        #expect(json["invoice"] as? String == minted.invoice)
        #expect(json["payment_hash"] as? String == Hex.encode(minted.paymentHash))
        #expect(json["amount_sats"] as? Int == 21)
        #expect(json["tool"] as? String == "weather")
        let expiresAt = try #require(json["expires_at"] as? String)
        #expect(ISO8601DateFormatter().date(from: expiresAt) != nil)
        let identifier = try L402Identifier(decoding: minted.macaroon.identifier)
        #expect(identifier.paymentHash == minted.paymentHash)
        #expect(minted.macaroon.caveats.compactMap(\.predicate).contains("calls=3"))
        #expect(minted.macaroon.caveats.compactMap(\.predicate).contains("tool=weather"))
        #expect(minted.macaroon.caveats.compactMap(\.predicate).contains("amount_sats=21"))
    }
}
