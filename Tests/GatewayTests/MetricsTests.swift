import L402
import Foundation
import Storage
import Testing

@testable import Gateway

/// `GET /_l402/metrics`: Prometheus text behind the admin token, with exact values after a known sequence.
@Suite struct MetricsTests {
    static let adminToken = String(repeating: "m", count: 40)

    static func configure(_ configuration: inout GatewayConfiguration) {
        configuration.adminToken = adminToken
    }

    static func tools(_ ports: [Int]) -> [ToolConfiguration] {
        var metered = ToolConfiguration(slug: "metered", upstream: URL(string: "http://127.0.0.1:\(ports[0])")!, priceSats: 12, calls: 3)
        metered.freeCallsPerDay = 2
        return [metered, ToolConfiguration(slug: "quiet", upstream: URL(string: "http://127.0.0.1:\(ports[0])")!, priceSats: 1)]
    }

    @Test func theEndpointNeedsTheAdminToken() async throws {
        try await GatewayHarness.with(configure: Self.configure, tools: Self.tools) { gateway in
            let anonymous = try await gateway.send(.GET, "/_l402/metrics")
            #expect(anonymous.status == 401)
            #expect(anonymous.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(anonymous.body.utf8)).error == "unauthorized")
            #expect(try await gateway.send(.GET, "/_l402/metrics", authorization: "Bearer " + String(repeating: "n", count: 40)).status == 401)
            #expect(try await gateway.send(.GET, "/_l402/metrics", authorization: "Basic " + Self.adminToken).status == 401)
            let scraped = try await gateway.send(.GET, "/_l402/metrics", authorization: "Bearer " + Self.adminToken)
            #expect(scraped.status == 200)
            #expect(scraped.headers.first(name: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        }
    }

    /// 2 free calls, 1 challenge, 1 paid call, 1 refused credential → exact counters and histogram counts.
    @Test func valuesAfterAScriptedSequence() async throws {
        try await GatewayHarness.with(configure: Self.configure, tools: Self.tools) { gateway in
            #expect(try await gateway.send(.GET, "/metered/one").status == 200)
            #expect(try await gateway.send(.GET, "/metered/two").status == 200)
            let challenge = try await gateway.challenge("/metered/three")
            let preimage = try await gateway.pay(challenge.invoice)
            #expect(try await gateway.send(.GET, "/metered/three", authorization: "L402 \(challenge.macaroon):\(preimage)").status == 200)
            let wrong = String(repeating: "0", count: 64)
            #expect(try await gateway.send(.GET, "/metered/four", authorization: "L402 \(challenge.macaroon):\(wrong)").status == 401)

            let scraped = try await gateway.send(.GET, "/_l402/metrics", authorization: "Bearer " + Self.adminToken)
            let metrics = try PrometheusText(scraped.body)
            func requests(_ outcome: String) -> Double? {
                metrics.value("l402_requests_total", ["tool": "metered", "outcome": outcome])
            }
            #expect(requests("free") == 2)
            #expect(requests("challenged") == 1)
            #expect(requests("paid") == 1)
            #expect(requests("refused") == 1)
            #expect(requests("rate_limited") == nil && requests("upstream_error") == nil)
            #expect(metrics.samples.filter { $0.name == "l402_requests_total" }.map(\.value).reduce(0, +) == 5)
            #expect(metrics.value("l402_sats_earned_total", ["tool": "metered"]) == 4)  // 12 sats for 3 calls
            #expect(metrics.value("l402_invoices_issued_total", ["tool": "metered"]) == 1)
            #expect(metrics.value("l402_verification_duration_seconds_count") == 2)
            #expect(metrics.value("l402_upstream_duration_seconds_count", ["tool": "metered"]) == 3)
            #expect(metrics.types["l402_verification_duration_seconds"] == "histogram")
            #expect(metrics.types["l402_requests_total"] == "counter")
            // Nothing was asked of the other tool.
            #expect(!metrics.samples.contains { $0.labels["tool"] == "quiet" })
        }
    }

    @Test func eachGatewayCountsOnlyItsOwnRequests() async throws {
        try await GatewayHarness.with(configure: Self.configure, tools: Self.tools) { first in
            try await GatewayHarness.with(configure: Self.configure, tools: Self.tools) { second in
                #expect(try await first.send(.GET, "/quiet/").status == 402)
                let metrics = try PrometheusText(try await second.send(.GET, "/_l402/metrics", authorization: "Bearer " + Self.adminToken).body)
                #expect(metrics.value("l402_requests_total", ["tool": "quiet", "outcome": "challenged"]) == nil)
            }
        }
    }
}
