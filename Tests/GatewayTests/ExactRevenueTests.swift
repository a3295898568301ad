import Foundation
import Gateway
import L402
import L402Admin
import Macaroons
import Testing

/// Issue 15, bug 2: the sats booked for a token add up to what was paid for it, however its holder
/// narrows `calls` — in the ledger, `GET /_l402/admin/usage` and `l402_sats_earned_total`.
@Suite struct ExactRevenueTests {
    static func tools(_ ports: [Int]) -> [ToolConfiguration] {
        [ToolConfiguration(slug: "five", upstream: URL(string: "http://127.0.0.1:\(ports[0])")!, priceSats: 20, calls: 5)]
    }

    @Test func aFiveCallTokenNarrowedToKAtTheKthCallBooksExactlyItsPrice() async throws {
        try await GatewayHarness.with(tools: Self.tools) { gateway in
            let token = try await gateway.buy("/five/a")
            let original = try Macaroon(decoding: token.macaroon)
            for k in 1...5 {
                // The k-th call carries `calls=k`: the smallest limit, which priced calls at 20/k before.
                let narrowed = original.addingFirstPartyCaveat("calls=\(k)")
                let response = try await gateway.send(.GET, "/five/\(k)", authorization: "L402 \(narrowed.encoded()):\(token.preimage)")
                #expect(response.status == 200, "call \(k): \(response.body)")
            }
            #expect(try await gateway.send(.GET, "/five/6", authorization: "L402 \(token.macaroon):\(token.preimage)").status == 402)

            let rows = try await gateway.invocations(tool: "five")
            #expect(rows.count == 5 && rows.allSatisfy { $0.outcome == "paid" })
            #expect(rows.map(\.sats).reduce(0, +) == 20, "\(rows.map(\.sats))")
            let usage = try await gateway.admin(.GET, "usage", as: AdminUsageReport.self)
            #expect(usage.total.sats == 20 && usage.total.paidCalls == 5)
            #expect(usage.total.schemes["l402"] == .init(SchemeUsage(paidCalls: 5, sats: 20)) && usage.total.schemes["payment"]?.sats == 0)
            let scraped = try PrometheusText(try await gateway.operatorListener.send(.GET, "/_l402/metrics").body)
            #expect(scraped.value("l402_sats_earned_total", ["tool": "five", "scheme": "l402"]) == 20)
            #expect(scraped.value("l402_paid_calls_total", ["tool": "five", "scheme": "l402"]) == 5)
        }
    }
}
