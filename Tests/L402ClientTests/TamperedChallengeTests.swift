import Bolt11
import ByteEncoding
import Foundation
import L402
import L402Client
import Lightning
import Testing

/// A server on loopback answering every request with a hand-tampered 402; the client holds a real
/// wallet (the dev node that minted the invoice) and must refuse without paying anything.
@Suite struct TamperedChallengeTests {
    func refusal(_ tamper: @escaping @Sendable (MintedChallenge, MintedChallenge) throws -> TestHTTPServer.Response) async throws
        -> (error: L402ClientError?, invoiceStates: [InvoiceState], spent: UInt64, cached: Int)
    {
        let node = DevNode(key: NodeKey.random(), store: InMemoryDevInvoiceStore())
        let minter = Minter(node: node, secrets: InMemorySecretStore(), location: "test")
        let a = try await minter.mint(tool: "weather", priceSats: 21, calls: 3, validForSeconds: nil, memo: "a")
        let b = try await minter.mint(tool: "weather", priceSats: 21, calls: 3, validForSeconds: nil, memo: "b")
        let response = try tamper(a, b)
        let server = try await TestHTTPServer.start { _ in response }
        let directory = try TemporaryDirectory()
        let budget = Budget()
        let client = L402Client(
            cache: try TokenCache(directory: directory.path), budget: budget, wallet: LightningNodeWallet(node: node))
        var failure: L402ClientError?
        do {
            _ = try await client.send(L402Request(url: server.url.appendingPathComponent("weather/today")))
        } catch {
            failure = error
        }
        try await server.stop()
        let states = [try await node.invoiceState(paymentHash: a.paymentHash), try await node.invoiceState(paymentHash: b.paymentHash)]
        return (failure, states, await budget.spentSats, try await client.cache.allTokens().count)
    }

    static func headers(_ challenge: Challenge) -> [(String, String)] {
        challenge.headerValues.map { ("WWW-Authenticate", $0) } + [("Content-Type", "application/json")]
    }

    @Test func bodyAmountOtherThanTheInvoiceIsRefusedUnpaid() async throws {
        let result = try await refusal { a, _ in
            var body = a.jsonBody
            body.amountSats = 1
            return .init(status: 402, headers: Self.headers(Challenge(macaroon: a.macaroon, invoice: a.invoice)), body: Array(try JSONEncoder().encode(body)))
        }
        #expect(result.error == .amountMismatch(invoiceSats: 21, challengeSats: 1))
        #expect(result.invoiceStates == [.open, .open])
        #expect(result.spent == 0)
        #expect(result.cached == 0)
    }

    @Test func invoiceForAnotherPaymentHashIsRefusedUnpaid() async throws {
        let result = try await refusal { a, b in
            .init(status: 402, headers: Self.headers(Challenge(macaroon: a.macaroon, invoice: b.invoice)), body: [])
        }
        #expect(result.error == .paymentHashMismatch)
        #expect(result.invoiceStates == [.open, .open])
        #expect(result.spent == 0)
        #expect(result.cached == 0)
    }

    @Test func anUntouchedChallengeIsPaidOnceAndStored() async throws {
        // The control: the same server and wallet pay an honest challenge (the retry gets the same 402 back).
        let result = try await refusal { a, _ in
            .init(status: 402, headers: Self.headers(Challenge(macaroon: a.macaroon, invoice: a.invoice)), body: [])
        }
        #expect(result.error == nil)
        #expect(result.invoiceStates == [.settled, .open])
        #expect(result.spent == 21)
        #expect(result.cached == 1)
    }
}
