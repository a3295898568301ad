import Bolt11
import ByteEncoding
import Foundation
import L402
import L402Client
import Lightning
import Macaroons
import Testing

/// Challenges minted by the real `Minter` on the real dev node, checked as a client would,
/// untouched and tampered with.
@Suite struct ChallengeCheckTests {
    let node = DevNode(key: NodeKey.random(), store: InMemoryDevInvoiceStore())

    func mint(priceSats: UInt64 = 21, calls: Int = 5, tool: String = "weather", expiry: Int = 600) async throws -> MintedChallenge {
        try await Minter(node: node, secrets: InMemorySecretStore(), location: "test", invoiceExpirySeconds: expiry)
            .mint(tool: tool, priceSats: priceSats, calls: calls, validForSeconds: 3600, memo: "test")
    }

    func body(_ challenge: MintedChallenge, edit: (inout ChallengeBody) -> Void = { _ in }) throws -> [UInt8] {
        var body = challenge.jsonBody
        edit(&body)
        return Array(try JSONEncoder().encode(body))
    }

    @Test func acceptsAnUntouchedChallengeFromHeadersOrBody() async throws {
        let minted = try await mint()
        let fromHeaders = try ChallengeCheck.offer(wwwAuthenticate: minted.headerValues, body: [])
        let fromBody = try ChallengeCheck.offer(wwwAuthenticate: [], body: try body(minted))
        for offer in [fromHeaders, fromBody] {
            #expect(offer.amountSats == 21)
            #expect(offer.paymentHash == minted.paymentHash)
            #expect(offer.tokenID == minted.tokenID)
            #expect(offer.tool == "weather")
            #expect(offer.calls == 5)
            #expect(offer.tokenExpiresAt != nil)
        }
    }

    @Test func refusesABodyAmountOtherThanTheInvoice() async throws {
        let minted = try await mint(priceSats: 21)
        let tampered = try body(minted) { $0.amountSats = 2 }
        #expect(throws: L402ClientError.amountMismatch(invoiceSats: 21, challengeSats: 2)) {
            try ChallengeCheck.offer(wwwAuthenticate: minted.headerValues, body: tampered)
        }
    }

    @Test func refusesAnInvoiceForAnotherPaymentHashThanTheMacaroon() async throws {
        let (a, b) = (try await mint(), try await mint())
        let swapped = Challenge(macaroon: a.macaroon, invoice: b.invoice).headerValues
        #expect(throws: L402ClientError.paymentHashMismatch) { try ChallengeCheck.offer(wwwAuthenticate: swapped, body: []) }
        let bodyHash = try body(a) { $0.paymentHash = Hex.encode(b.paymentHash) }
        #expect(throws: L402ClientError.paymentHashMismatch) { try ChallengeCheck.offer(wwwAuthenticate: a.headerValues, body: bodyHash) }
    }

    @Test func refusesAmountlessExpiredAndGarbage() async throws {
        let minted = try await mint()
        let key = NodeKey.random()
        var invoice = try Invoice.decode(minted.invoice)
        invoice.amountMsat = nil
        invoice.payee = nil
        let amountless = Challenge(macaroon: minted.macaroon, invoice: try invoice.encode(signingWith: key)).headerValues
        #expect(throws: L402ClientError.amountlessInvoice) { try ChallengeCheck.offer(wwwAuthenticate: amountless, body: []) }

        let later = Date().addingTimeInterval(601)
        #expect(throws: L402ClientError.self) { try ChallengeCheck.offer(wwwAuthenticate: minted.headerValues, body: [], now: later) }
        do {
            _ = try ChallengeCheck.offer(wwwAuthenticate: minted.headerValues, body: [], now: later)
        } catch {
            guard case .expired = error else { Issue.record("expected .expired, got \(error)"); return }
        }
        #expect(throws: L402ClientError.self) { try ChallengeCheck.offer(wwwAuthenticate: ["Bearer realm=x"], body: Array("{}".utf8)) }
        let badInvoice = Challenge(macaroon: minted.macaroon, invoice: "lnbcrt1garbage").headerValues
        #expect(throws: L402ClientError.self) { try ChallengeCheck.offer(wwwAuthenticate: badInvoice, body: []) }
    }
}
