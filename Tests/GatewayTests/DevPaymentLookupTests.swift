import ByteEncoding
import Foundation
import NIOHTTP1
import Testing

/// `GET /_l402/dev/payments/<hash>`: how a dev-wallet client that crashed after paying finds its preimage.
@Suite struct DevPaymentLookupTests {
    private struct Lookup: Decodable {
        var status: String
        var payment_hash: String
        var preimage: String?
    }

    @Test func aPaidInvoiceIsFoundWithItsPreimageAndAnUnpaidOneIsUnknown() async throws {
        try await GatewayHarness.with(tools: PaymentFlowTests.standardTools) { gateway in
            let challenge = try await gateway.challenge("/paid/x")
            let before = try await gateway.send(.GET, "/_l402/dev/payments/\(challenge.payment_hash)")
            #expect(before.status == 404)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(before.body.utf8)).error == "unknown_payment")

            let preimage = try await gateway.pay(challenge.invoice)
            let after = try await gateway.send(.GET, "/_l402/dev/payments/\(challenge.payment_hash.uppercased())")
            #expect(after.status == 200)
            let found = try JSONDecoder().decode(Lookup.self, from: Data(after.body.utf8))
            #expect(found.status == "succeeded")
            #expect(found.payment_hash == challenge.payment_hash)
            #expect(found.preimage == preimage)

            let garbage = try await gateway.send(.GET, "/_l402/dev/payments/xyz")
            #expect(garbage.status == 400)
        }
    }

    @Test func thereIsNoLookupWithoutTheDevNode() async throws {
        try await GatewayHarness.with(
            configure: { $0.lightning = .lnd(restURL: "https://127.0.0.1:1", macaroon: "0201abcd", tlsCertificatePath: nil) },
            tools: PaymentFlowTests.standardTools
        ) { gateway in
            let lookup = try await gateway.send(.GET, "/_l402/dev/payments/\(String(repeating: "ab", count: 32))")
            #expect(lookup.status == 404)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(lookup.body.utf8)).error == "not_found")
        }
    }
}
