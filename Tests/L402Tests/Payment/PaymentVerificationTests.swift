import Bolt11
import ByteEncoding
import Crypto
import Lightning
import Foundation
import L402
import Testing

/// The server side of Lightning `charge` end to end on the dev node: issue, pay, present,
/// verify, consume once, receipt; and every way a credential can be wrong.
@Suite struct PaymentVerificationTests {
    @Test func issuedChallengeReadsBackAndAgreesWithItsInvoice() async throws {
        let fixture = PaymentFixture()
        let (challenge, _) = try await fixture.paidChallenge(sats: 21)
        #expect(challenge.method == "lightning" && challenge.intent == "charge" && challenge.realm == PaymentFixture.realm)
        #expect(try PaymentChallenge(parsing: challenge.headerValue) == challenge)
        let request = try LightningChargeRequest(encoded: challenge.request)
        #expect(request.amountSats == 21)
        #expect(request.network == .regtest)
        #expect(request.description == "Weather report")
        // The wire form is the canonical JSON: re-encoding what we read changes nothing.
        #expect(request.encoded == challenge.request)
        let json = try JSONValue.parse(Base64URL.decode(challenge.request))
        #expect(json["currency"] == .string("sat"))
        #expect(json["amount"] == .string("21"))
        #expect(fixture.binding.isBound(challenge))
    }

    @Test func refusesInvoicesItCannotOfferTruthfully() async throws {
        let fixture = PaymentFixture()
        let testnet = DevNode(key: NodeKey.random(), store: InMemoryDevInvoiceStore(), network: .testnet)
        let invoice = try await testnet.createInvoice(amountSats: 5, memo: "t", expirySeconds: 600)
        #expect(throws: PaymentIssueError.unsupportedNetwork("testnet")) { try fixture.issuer.challenge(invoice: invoice.paymentRequest) }
        #expect(throws: PaymentIssueError.self) { try fixture.issuer.challenge(invoice: "lnbcrt1notaninvoice") }
    }

    @Test func expiresIsNeverLaterThanTheInvoice() async throws {
        let fixture = PaymentFixture()
        let (challenge, _) = try await fixture.paidChallenge(expirySeconds: 60, expiresAt: Date().addingTimeInterval(3600))
        let expires = try #require(challenge.expires.flatMap(PaymentTime.parse))
        #expect(expires <= Date().addingTimeInterval(61))
    }

    @Test func verifiesConsumesOnceAndReceipts() async throws {
        let fixture = PaymentFixture()
        let (challenge, preimage) = try await fixture.paidChallenge(sats: 34)
        let header = PaymentCredential(challenge: challenge, preimage: preimage).headerValue
        let verified = try fixture.verifier.verify(authorization: header)
        #expect(verified.challengeID == challenge.id)
        #expect(verified.amountSats == 34)
        #expect(verified.paymentHash == Array(SHA256.hash(data: preimage)))

        let store = InMemoryPaymentChallengeStore()
        #expect(await store.consume(verified))
        #expect(await !store.consume(verified))  // one success per challenge
        // Verification itself is pure: the same credential verifies again; only the store says no.
        #expect(try fixture.verifier.verify(authorization: header) == verified)

        let receipt = PaymentReceipt(verified: verified)
        let read = try PaymentReceipt(parsing: receipt.headerValue)
        #expect(read == receipt)
        #expect(read.reference == Hex.encode(verified.paymentHash))
        #expect(read.challengeID == challenge.id)
        #expect(!receipt.headerValue.contains(Hex.encode(preimage)))
        #expect(!String(decoding: try Base64URL.decode(receipt.headerValue), as: UTF8.self).contains(Hex.encode(preimage)))
    }

    @Test func storeReleasesAndForgetsExpired() async throws {
        let fixture = PaymentFixture()
        let (challenge, preimage) = try await fixture.paidChallenge()
        let verified = try fixture.verifier.verify(PaymentCredential(challenge: challenge, preimage: preimage))
        let store = InMemoryPaymentChallengeStore()
        #expect(await store.consume(verified))
        await store.release(verified)
        #expect(await store.consume(verified))
        #expect(await store.deleteExpired(before: verified.expiresAt) == 0)
        #expect(await store.deleteExpired(before: verified.expiresAt.addingTimeInterval(1)) == 1)
    }

    @Test func credentialInPaymentAuthorizationFormIsTheSame() async throws {
        let fixture = PaymentFixture()
        let (challenge, preimage) = try await fixture.paidChallenge()
        let credential = PaymentCredential(challenge: challenge, preimage: preimage, source: "did:key:z6Mk")
        let reread = try PaymentCredential(parsing: "payment   " + String(credential.headerValue.dropFirst(8)) + " ")
        #expect(reread == credential)
    }

    @Test func bodyDigestBindsTheCredentialToTheBody() async throws {
        let fixture = PaymentFixture()
        let body = Array(#"{"city":"Paris"}"#.utf8)
        let (challenge, preimage) = try await fixture.paidChallenge(body: body)
        #expect(challenge.digest == ContentDigest.sha256(body))
        #expect(challenge.digest?.hasPrefix("sha-256=:") == true)
        let header = PaymentCredential(challenge: challenge, preimage: preimage).headerValue
        #expect(try fixture.verifier.verify(authorization: header, requestBody: body).challengeID == challenge.id)
        #expect(throws: PaymentVerificationFailure.self) {
            try fixture.verifier.verify(authorization: header, requestBody: Array(#"{"city":"Lyon"}"#.utf8))
        }
        #expect(throws: PaymentVerificationFailure.self) { try fixture.verifier.verify(authorization: header, requestBody: nil) }
    }

    /// The table of malformed and hostile credentials: each gets the right problem type, none traps,
    /// and no problem body repeats the preimage.
    @Test func refusesEveryBadCredentialWithTheRightProblem() async throws {
        let fixture = PaymentFixture()
        let (challenge, preimage) = try await fixture.paidChallenge()
        let good = PaymentCredential(challenge: challenge, preimage: preimage)
        let preimageHex = Hex.encode(preimage)
        func b64(_ text: String) -> String { "Payment " + Base64URL.encode(Array(text.utf8)) }
        func edited(_ path: [String], _ value: JSONValue?) -> String {
            PaymentCredential.header(editing: good) { $0.set(path, to: value) }
        }
        let foreign = ChallengeBinding(secret: ChallengeBinding.randomSecret())
        var foreignChallenge = challenge
        foreignChallenge.id = foreign.id(for: challenge)
        var tamperedRequest = try LightningChargeRequest(encoded: challenge.request)
        tamperedRequest.amountSats = 1
        let (expiredChallenge, expiredPreimage) = try await fixture.paidChallenge(expiresAt: Date().addingTimeInterval(5))
        let later = Date().addingTimeInterval(30)

        typealias Kind = PaymentProblemKind
        let table: [(String, String, Kind, Date?)] = [
            ("empty header", "", .malformedCredential, nil),
            ("scheme only", "Payment", .malformedCredential, nil),
            ("scheme and space", "Payment ", .malformedCredential, nil),
            ("another scheme", "Bearer abc123", .malformedCredential, nil),
            ("L402 credential", "L402 AgEL:" + preimageHex, .malformedCredential, nil),
            ("not base64url", "Payment !!!invalid!!!", .malformedCredential, nil),
            ("standard alphabet", "Payment a+b/", .malformedCredential, nil),
            ("non-zero trailing bits", "Payment AB", .malformedCredential, nil),
            ("wrong padding", "Payment abc==", .malformedCredential, nil),
            ("two tokens", "Payment abc def", .malformedCredential, nil),
            ("not JSON", b64("not json"), .malformedCredential, nil),
            ("JSON array", b64("[]"), .malformedCredential, nil),
            ("JSON string", b64("\"x\""), .malformedCredential, nil),
            ("empty object", b64("{}"), .malformedCredential, nil),
            ("trailing bytes after JSON", b64(good.json.canonicalString + "x"), .malformedCredential, nil),
            ("duplicate member", b64(#"{"payload":{},"payload":{}}"#), .malformedCredential, nil),
            ("deep nesting", b64(String(repeating: "[", count: 200)), .malformedCredential, nil),
            ("lone surrogate", b64(#"{"challenge":"\ud800"}"#), .malformedCredential, nil),
            ("invalid UTF-8", "Payment " + Base64URL.encode([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), .malformedCredential, nil),
            ("challenge not an object", edited(["challenge"], .string("x")), .malformedCredential, nil),
            ("missing challenge.id", edited(["challenge", "id"], nil), .malformedCredential, nil),
            ("empty challenge.id", edited(["challenge", "id"], .string("")), .malformedCredential, nil),
            ("missing challenge.request", edited(["challenge", "request"], nil), .malformedCredential, nil),
            ("realm is a number", edited(["challenge", "realm"], .number(1)), .malformedCredential, nil),
            ("expires is null", edited(["challenge", "expires"], .null), .malformedCredential, nil),
            ("source is an object", edited(["source"], .object([])), .malformedCredential, nil),
            ("missing payload", edited(["payload"], nil), .malformedCredential, nil),
            ("payload an array", edited(["payload"], .array([])), .malformedCredential, nil),
            ("missing preimage", edited(["payload", "preimage"], nil), .malformedCredential, nil),
            ("preimage a number", edited(["payload", "preimage"], .number(7)), .malformedCredential, nil),
            ("preimage 63 digits", edited(["payload", "preimage"], .string(String(preimageHex.dropLast()))), .malformedCredential, nil),
            ("preimage 66 digits", edited(["payload", "preimage"], .string(preimageHex + "00")), .malformedCredential, nil),
            ("preimage uppercase", edited(["payload", "preimage"], .string(preimageHex.uppercased())), .malformedCredential, nil),
            ("preimage 0x-prefixed", edited(["payload", "preimage"], .string("0x" + preimageHex.dropLast(2))), .malformedCredential, nil),
            ("preimage not hex", edited(["payload", "preimage"], .string(String(repeating: "zz", count: 32))), .malformedCredential, nil),
            ("100 KB value", "Payment " + String(repeating: "A", count: 100_000), .malformedCredential, nil),
            ("unsupported method", edited(["challenge", "method"], .string("tempo")), .methodUnsupported, nil),
            ("unsupported intent", edited(["challenge", "intent"], .string("session")), .methodUnsupported, nil),
            ("tampered request", edited(["challenge", "request"], .string(tamperedRequest.encoded)), .invalidChallenge, nil),
            ("tampered expires", edited(["challenge", "expires"], .string("2099-01-01T00:00:00Z")), .invalidChallenge, nil),
            ("expires removed", edited(["challenge", "expires"], nil), .invalidChallenge, nil),
            ("tampered realm", edited(["challenge", "realm"], .string("evil.example")), .invalidChallenge, nil),
            ("digest added", edited(["challenge", "digest"], .string(ContentDigest.sha256([]))), .invalidChallenge, nil),
            ("foreign id (another secret)", PaymentCredential(challenge: foreignChallenge, preimage: preimage).headerValue, .invalidChallenge, nil),
            ("expired challenge", PaymentCredential(challenge: expiredChallenge, preimage: expiredPreimage).headerValue, .paymentExpired, later),
            ("wrong preimage", PaymentCredential(challenge: challenge, preimage: Array(repeating: 7, count: 32)).headerValue, .verificationFailed, nil),
            ("another challenge's preimage", PaymentCredential(challenge: challenge, preimage: expiredPreimage).headerValue, .verificationFailed, nil),
        ]
        #expect(table.count >= 30)
        for (name, header, kind, now) in table {
            do {
                _ = try fixture.verifier.verify(authorization: header, now: now ?? Date())
                Issue.record("\(name): accepted")
            } catch {
                #expect(error.kind == kind, "\(name): \(error)")
                let body = String(decoding: error.problem(challengeID: "fresh").jsonBytes, as: UTF8.self)
                #expect(!body.contains(preimageHex), "\(name)")
                #expect(body.contains(kind.typeURI), "\(name)")
            }
        }
        // The good one passes, so every refusal above is about its own defect.
        #expect(try fixture.verifier.verify(authorization: good.headerValue).challengeID == challenge.id)
    }

    @Test func problemBodyIsRFC9457() throws {
        let failure = PaymentVerificationFailure.methodUnsupported(method: "tempo", intent: "charge")
        let json = try JSONValue.parse(failure.problem(challengeID: "abc").jsonBytes)
        #expect(json["type"] == .string("https://paymentauth.org/problems/method-unsupported"))
        #expect(json["status"] == .number(400))
        #expect(json["title"]?.stringValue?.isEmpty == false)
        #expect(json["challengeId"] == .string("abc"))
        #expect(PaymentProblemKind.malformedCredential.status == 402)
        #expect(PaymentProblemKind.invalidChallenge.typeURI == "https://paymentauth.org/problems/invalid-challenge")
    }

    @Test(arguments: [
        "", "x", "e30", "W10", "eyJzdGF0dXMiOiJmYWlsZWQifQ",  // {}, [], {"status":"failed"}
        "eyJzdGF0dXMiOiJzdWNjZXNzIn0",  // {"status":"success"}: no method
        String(repeating: "A", count: 10_000),
    ])
    func refusesBadReceipts(_ header: String) {
        #expect(throws: PaymentReceiptError.self) { try PaymentReceipt(parsing: header) }
    }
}
