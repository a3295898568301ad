import Bolt11
import ByteEncoding
import Crypto
import Lightning
import Foundation
import L402
import PaymentTestSupport
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

    /// The table of malformed and hostile credentials (`BadPaymentCredentials`, shared with the
    /// gateway's end-to-end table) plus the cases that need the verifier's clock: each gets the right
    /// problem type, none traps, and no problem body repeats the preimage.
    @Test func refusesEveryBadCredentialWithTheRightProblem() async throws {
        let fixture = PaymentFixture()
        let (challenge, preimage) = try await fixture.paidChallenge()
        let good = PaymentCredential(challenge: challenge, preimage: preimage)
        let preimageHex = Hex.encode(preimage)
        let (expiredChallenge, expiredPreimage) = try await fixture.paidChallenge(expiresAt: Date().addingTimeInterval(5))
        let later = Date().addingTimeInterval(30)

        let table: [(BadPaymentCredential, Date?)] = try BadPaymentCredentials.variants(of: good).map { ($0, nil) } + [
            (BadPaymentCredential("empty header", "", .malformedCredential), nil),
            (BadPaymentCredential("another scheme", "Bearer abc123", .malformedCredential), nil),
            (BadPaymentCredential("L402 credential", "L402 AgEL:" + preimageHex, .malformedCredential), nil),
            (BadPaymentCredential(
                "expired challenge", PaymentCredential(challenge: expiredChallenge, preimage: expiredPreimage).headerValue, .paymentExpired), later),
            (BadPaymentCredential(
                "another challenge's preimage", PaymentCredential(challenge: challenge, preimage: expiredPreimage).headerValue,
                .verificationFailed), nil),
        ]
        #expect(table.count >= 30)
        for (bad, now) in table {
            do {
                _ = try fixture.verifier.verify(authorization: bad.header, now: now ?? Date())
                Issue.record("\(bad): accepted")
            } catch {
                #expect(error.kind == bad.problem, "\(bad): \(error)")
                let body = String(decoding: error.problem(challengeID: "fresh").jsonBytes, as: UTF8.self)
                #expect(!body.contains(preimageHex), "\(bad)")
                #expect(body.contains(bad.problem.typeURI), "\(bad)")
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
