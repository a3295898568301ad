import Foundation
import Logging
import Storage
import Testing

@testable import Gateway
@testable import L402Server

/// Unpaid challenges leave a root key and a dev invoice behind; the collector removes both once
/// the invoice (plus the minter's grace period) has expired, and keeps what paid tokens need.
@Suite struct ExpiredChallengeTests {
    @Test func collectorDeletesUnpaidChallengesOnly() async throws {
        try await GatewayHarness.with(tools: PaymentFlowTests.standardTools) { gateway in
            let unpaid = try await gateway.challenge("/multi/")
            let paid = try await gateway.buy("/multi/")
            let credential = "L402 \(paid.macaroon):\(paid.preimage)"
            #expect(try await gateway.send(.GET, "/multi/", authorization: credential).status == 200)

            let store = try SQLiteStore(path: gateway.dataDirectory + "/l402.sqlite")
            let collector = ExpiredChallengeCollector(
                secrets: store, devInvoices: store, interval: .seconds(60), logger: Logger(label: "test"))
            #expect(await collector.collect(now: Date()) == (0, 0, 0))  // nothing has expired yet

            let later = Date().addingTimeInterval(2 * 86_400)
            let deleted = await collector.collect(now: later)
            // Each 402 minted an L402 and a Payment invoice: the first 402's two and the second's unpaid
            // Payment charge go; the paid token stays.
            #expect(deleted.secrets == 3 && deleted.invoices == 3)

            let payLate = try await gateway.send(.POST, "/_l402/dev/pay", body: #"{"invoice":"\#(unpaid.invoice)"}"#)
            #expect(payLate.status == 404)
            #expect(try await gateway.send(.GET, "/multi/", authorization: credential).status == 200)
        }
    }
}
