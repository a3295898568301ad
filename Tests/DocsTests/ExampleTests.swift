import Bolt11
import Crypto
import Foundation
import L402
import Macaroons
import TestSupport
import Testing

@testable import DocSnippets

/// The documentation's Swift snippets (Examples/) do what the pages say they do.
@Suite struct ExampleTests {
    @Test func clientSnippetPaysTheDemoTool() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-docs-client-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let gateway = try RunningProcess(
            try Subprocess.l402Binary, ["serve", "--demo", "--port", "0", "--admin-port", "0", "--data-dir", directory.appendingPathComponent("data").path])
        let port = try await gateway.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
        let body = try await callEchoTool(
            gateway: URL(string: "http://127.0.0.1:\(port)")!, tokenDirectory: directory.appendingPathComponent("tokens").path)
        #expect(body.contains("Paid call received"), "\(body)")
        #expect(try await gateway.terminate() == 0)
    }

    @Test func macaroonSnippetMintsAVerifiableToken() throws {
        let rootKey = Array(repeating: UInt8(7), count: 32)
        let header = try weatherToken(rootKey: rootKey, identifier: [0, 0, 0xab, 0x12])
        let (macaroon, _) = try Macaroon.decode(header)
        #expect(macaroon.caveats.map(\.predicate) == ["tool=weather", "calls=3"])
        #expect(macaroon.location == "https://api.example")
        #expect(throws: MacaroonError.self) { try macaroon.verify(rootKey: Array(repeating: 8, count: 32)) { _ in } }
    }

    @Test func bolt11SnippetReadsBackWhatItSigned() throws {
        let preimage = (0..<32).map { UInt8($0) }
        let hash = Array(SHA256.hash(data: preimage))
        let (text, read) = try weatherInvoice(paymentHash: hash, paymentSecret: Array(repeating: 1, count: 32), now: 1_795_590_146)
        #expect(text.hasPrefix("lnbcrt210n1"))
        #expect(read.amountMsat == 21_000)
        #expect(read.paymentHash == hash)
        #expect(read.description == "one weather call")
        #expect(read.payee?.count == 33)
    }

    @Test func delegationSnippetAddsTheCaveats() throws {
        let rootKey = Array(repeating: UInt8(3), count: 32)
        let token = Macaroon(rootKey: rootKey, identifier: Array(repeating: 0, count: 66), location: "")
        let delegated = try credentialForSubAgent(token.encoded() + ":" + String(repeating: "ab", count: 32))
        let macaroonText = String(delegated.split(separator: ":")[0])
        let predicates = try Macaroon.decode(macaroonText).macaroon.caveats.compactMap(\.predicate)
        #expect(predicates.contains("calls=2"), "\(predicates)")
        #expect(predicates.contains("method=GET"), "\(predicates)")
        #expect(predicates.contains { $0.hasPrefix("expires_at=") }, "\(predicates)")
        #expect(delegated.hasSuffix(":" + String(repeating: "ab", count: 32)))
    }

    @Test func paymentServerSnippetServesOncePerPaidChallenge() async throws {
        let preimage = (0..<32).map { UInt8($0 + 100) }
        let hash = Array(SHA256.hash(data: preimage))
        let (invoice, _) = try weatherInvoice(
            paymentHash: hash, paymentSecret: Array(repeating: 2, count: 32), now: UInt64(Date().timeIntervalSince1970))
        let scheme = PaymentEndpoint(secret: ChallengeBinding.randomSecret(), realm: "api.example")
        let body = Array(#"{"city":"Lisbon"}"#.utf8)
        let challenge = try scheme.challenge(invoice: invoice, requestBody: body)
        #expect(challenge.headerValue.hasPrefix("Payment id="), "\(challenge.headerValue)")
        let credential = PaymentCredential(challenge: challenge, preimage: preimage).headerValue

        guard case .serve(let receipt) = try await scheme.check(authorization: credential, requestBody: body, freshChallengeID: "next") else {
            Issue.record("a paid credential was refused")
            return
        }
        let read = try PaymentReceipt(parsing: receipt)
        #expect(read.status == "success")
        #expect(read.challengeID == challenge.id)
        #expect(read.reference == hash.map { String(format: "%02x", $0) }.joined())

        guard case .refuse(let replay) = try await scheme.check(authorization: credential, requestBody: body, freshChallengeID: "next") else {
            Issue.record("a used challenge was served twice")
            return
        }
        #expect(replay.type == PaymentProblemKind.invalidChallenge.typeURI)
        #expect(replay.challengeID == "next")

        let other = try scheme.challenge(invoice: invoice, requestBody: Array("another body".utf8))
        let wrongPreimage = PaymentCredential(challenge: other, preimage: Array(repeating: 9, count: 32)).headerValue
        guard case .refuse(let refused) = try await scheme.check(authorization: wrongPreimage, requestBody: Array("another body".utf8), freshChallengeID: "x") else {
            Issue.record("a wrong preimage was served")
            return
        }
        #expect(refused.type == PaymentProblemKind.verificationFailed.typeURI)
        guard case .refuse(let tampered) = try await scheme.check(authorization: credential, requestBody: Array("changed".utf8), freshChallengeID: "y") else {
            Issue.record("a credential for another body was served")
            return
        }
        #expect(tampered.type == PaymentProblemKind.verificationFailed.typeURI, "the digest binds the body")
    }
}
