import ByteEncoding
import Foundation
import L402
import Testing

/// Our codecs and binding against both published vector sets (Vectors/README.md says where from).
@Suite struct PaymentVectorTests {
    @Test func apertureCanonicalization() throws {
        let cases = PaymentVectors.cases(try PaymentVectors.aperture, "canonicalization")
        #expect(cases.count >= 20)
        for (name, vector) in cases {
            let input = try #require(vector["input"]?.stringValue)
            if vector["error"]?.boolValue == true {
                #expect(throws: JSONParseError.self, "\(name)") { try JSONValue.parse(input) }
            } else {
                let expected = try #require(vector["canonical"]?.stringValue)
                #expect(try JSONValue.parse(input).canonicalString == expected, "\(name)")
            }
        }
    }

    @Test func apertureBase64URL() throws {
        let cases = PaymentVectors.cases(try PaymentVectors.aperture, "base64url")
        #expect(cases.count >= 15)
        for (name, vector) in cases {
            let encoded = try #require(vector["encoded"]?.stringValue)
            if vector["error"]?.boolValue == true {
                #expect(throws: Base64URL.DecodingError.self, "\(name)") { try Base64URL.decode(encoded) }
                continue
            }
            let bytes = try Hex.decode(vector["decodedHex"]?.stringValue ?? "")
            #expect(try Base64URL.decode(encoded) == bytes, "\(name)")
            if vector["canonical"]?.boolValue == true { #expect(Base64URL.encode(bytes) == encoded, "\(name)") }
        }
    }

    @Test func apertureChallengeHeadersEmitAndReparse() throws {
        let cases = PaymentVectors.cases(try PaymentVectors.aperture, "challengeHeaders")
        #expect(cases.count >= 6)
        for (name, vector) in cases {
            let params = try #require(vector["params"]?.asChallenge, "\(name)")
            let header = try #require(vector["header"]?.stringValue)
            #expect(params.headerValue == header, "\(name)")
            #expect(try PaymentChallenge(parsing: header) == vector["parsed"]?.asChallenge, "\(name)")
        }
    }

    @Test func apertureChallengeLists() throws {
        let cases = PaymentVectors.cases(try PaymentVectors.aperture, "challengeLists")
        #expect(cases.count >= 10)
        for (name, vector) in cases {
            let header = try #require(vector["header"]?.stringValue)
            if vector["error"]?.boolValue == true {
                #expect(throws: PaymentChallengeError.self, "\(name)") { try PaymentChallenge.parseAll(headerValues: [header]) }
            } else {
                let expected = try #require(vector["challenges"]?.arrayValue).compactMap(\.asChallenge)
                #expect(try PaymentChallenge.parseAll(headerValues: [header]) == expected, "\(name)")
            }
        }
    }

    @Test func apertureChallengeIDs() throws {
        let file = try PaymentVectors.aperture
        let secret = try Hex.decode(try #require(file["hmacSecretHex"]?.stringValue))
        let binding = ChallengeBinding(secret: secret)
        let cases = PaymentVectors.cases(file, "challengeIds")
        #expect(cases.count >= 4)
        for (name, vector) in cases {
            let challenge = try #require(vector["params"]?.asChallenge)
            let input = ChallengeBinding.input(
                realm: challenge.realm, method: challenge.method, intent: challenge.intent, request: challenge.request,
                expires: challenge.expires, digest: challenge.digest, opaque: challenge.opaque)
            #expect(input == vector["hmacInput"]?.stringValue, "\(name)")
            #expect(binding.id(for: challenge) == challenge.id, "\(name)")
            #expect(binding.isBound(challenge), "\(name)")
        }
    }

    /// mpp-tools gives the request as a JSON object: we canonicalize and encode it, then bind.
    @Test func mppToolsChallengeIDs() throws {
        guard case .array(let scenarios)? = try PaymentVectors.mppTools["scenarios"] else { Issue.record("no scenarios"); return }
        #expect(scenarios.count >= 25)
        for scenario in scenarios {
            let name = scenario["name"]?.stringValue ?? "?"
            let input = try #require(scenario["input"])
            let binding = ChallengeBinding(secret: Array(try #require(input["secretKey"]?.stringValue).utf8))
            let id = binding.id(
                realm: try #require(input["realm"]?.stringValue), method: try #require(input["method"]?.stringValue),
                intent: try #require(input["intent"]?.stringValue),
                request: try #require(input["request"]).canonicalBase64URL,
                expires: input["expires"]?.stringValue, digest: input["digest"]?.stringValue, opaque: input["opaque"]?.stringValue)
            #expect(id == scenario["expected"]?.stringValue, "\(name)")
        }
    }

    @Test func apertureCredentials() throws {
        let cases = PaymentVectors.cases(try PaymentVectors.aperture, "credentials")
        #expect(cases.count >= 10)
        for (name, vector) in cases {
            let header = try #require(vector["header"]?.stringValue)
            if vector["error"]?.boolValue == true {
                #expect(throws: PaymentCredentialError.self, "\(name)") { try PaymentCredential(parsing: header) }
            } else {
                let parsed = try PaymentCredential(parsing: header)
                let expected = try JSONValue.parse(try #require(vector["credentialJson"]?.stringValue))
                #expect(parsed.json.canonicalString == expected.canonicalString, "\(name)")
            }
        }
    }

    /// Only the charge receipts: the session ones (refunds, top-up events) are not ours to read.
    @Test func apertureChargeReceipts() throws {
        let cases = PaymentVectors.cases(try PaymentVectors.aperture, "receipts").filter { $0.0.hasPrefix("charge") || $0.0.hasPrefix("receipt") }
        #expect(cases.count == 2)
        for (name, vector) in cases {
            let header = try #require(vector["header"]?.stringValue)
            let receipt = try PaymentReceipt(parsing: header)
            let expected = try JSONValue.parse(try #require(vector["receiptJson"]?.stringValue))
            #expect(receipt.method == expected["method"]?.stringValue, "\(name)")
            #expect(receipt.reference == expected["reference"]?.stringValue, "\(name)")
            #expect(receipt.timestamp == expected["timestamp"]?.stringValue, "\(name)")
            #expect(receipt.challengeID == expected["challengeId"]?.stringValue, "\(name)")
            // Ours is the canonical form of the same JSON.
            #expect(try JSONValue.parse(Base64URL.decode(receipt.headerValue)).canonicalString == expected.canonicalString, "\(name)")
        }
    }
}
