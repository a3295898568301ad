import L402
import Foundation
import L402Admin
import L402Server
import Storage
import Testing

@testable import Gateway

/// `GET /_l402/metrics` on the operator listener: who may scrape, what the page holds from startup,
/// and exact values after a known sequence.
@Suite struct MetricsTests {
    static let adminToken = GatewayHarness.adminToken

    static func configure(_ configuration: inout GatewayConfiguration) {
        configuration.adminToken = adminToken
    }

    static func tools(_ ports: [Int]) -> [ToolConfiguration] {
        var metered = ToolConfiguration(slug: "metered", upstream: URL(string: "http://127.0.0.1:\(ports[0])")!, priceSats: 12, calls: 3)
        metered.freeCallsPerDay = 2
        return [metered, ToolConfiguration(slug: "quiet", upstream: URL(string: "http://127.0.0.1:\(ports[0])")!, priceSats: 1)]
    }

    /// The metrics of a gateway's operator listener.
    static func scrape(_ gateway: GatewayHarness) async throws -> PrometheusText {
        let scraped = try await gateway.operatorListener.send(.GET, "/_l402/metrics")
        guard scraped.status == 200 else { throw HarnessError("metrics answered \(scraped.status): \(scraped.body)") }
        return try PrometheusText(scraped.body)
    }

    /// On a loopback operator listener a Prometheus scrape needs no token at all.
    @Test func onLoopbackTheMetricsNeedNoToken() async throws {
        try await GatewayHarness.with(configure: Self.configure, tools: Self.tools) { gateway in
            let anonymous = try await gateway.operatorListener.send(.GET, "/_l402/metrics")
            #expect(anonymous.status == 200)
            #expect(anonymous.headers.first(name: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(try PrometheusText(anonymous.body).value("l402_build_info", ["version": BuildInfo.version]) == 1)
        }
    }

    /// Off loopback, the metrics take the read-only metrics token or the admin token; the metrics token
    /// opens nothing else (no admin API, no dashboard).
    @Test func offLoopbackTheMetricsNeedTheMetricsOrTheAdminToken() async throws {
        let metricsToken = String(repeating: "r", count: 40)
        try await GatewayHarness.with(
            configure: {
                Self.configure(&$0)
                $0.adminHost = "0.0.0.0"  // every interface: not loopback (the test still connects over 127.0.0.1)
                $0.metricsToken = metricsToken
            }, tools: Self.tools
        ) { gateway in
            let listener = gateway.operatorListener
            let anonymous = try await listener.send(.GET, "/_l402/metrics")
            #expect(anonymous.status == 401)
            #expect(anonymous.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(anonymous.body.utf8)).error == "unauthorized")
            #expect(try await listener.send(.GET, "/_l402/metrics", authorization: "Bearer " + String(repeating: "n", count: 40)).status == 401)
            #expect(try await listener.send(.GET, "/_l402/metrics", authorization: "Basic " + metricsToken).status == 401)
            for token in [metricsToken, Self.adminToken] {
                let scraped = try await listener.send(.GET, "/_l402/metrics", authorization: "Bearer " + token)
                #expect(scraped.status == 200)
                #expect(try PrometheusText(scraped.body).value("l402_requests_total", ["tool": "quiet", "outcome": "paid"]) == 0)
            }
            // The metrics token cannot change (or even list) tools, nor open the dashboard.
            #expect(try await gateway.admin(.GET, "tools", token: metricsToken).status == 401)
            #expect(try await gateway.admin(.POST, "tools/quiet/disable", token: metricsToken).status == 401)
            #expect(try await gateway.request(.GET, "/_l402/dashboard", headers: [("Authorization", "Bearer " + metricsToken)]).status == 401)
            #expect(try await gateway.dashboardLogin(token: metricsToken).status == 401)
            #expect(try await gateway.admin(.GET, "tools").status == 200)
        }
    }

    /// From startup the page has the build, the process and every tool × outcome at zero; a tool added
    /// through the admin API gets its counters at once, one added by another gateway when the table reloads.
    @Test func thePageIsNeverEmpty() async throws {
        try await GatewayHarness.with(
            configure: {
                Self.configure(&$0)
                $0.toolRefreshInterval = .seconds(1)
            }, tools: Self.tools
        ) { gateway in
            let metrics = try await Self.scrape(gateway)
            #expect(metrics.value("l402_build_info", ["version": BuildInfo.version]) == 1)
            #expect(metrics.types["l402_build_info"] == "gauge")
            #expect(metrics.types["process_cpu_seconds_total"] == "counter")
            for name in ["process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds"] {
                #expect(metrics.types[name] == "gauge", "\(name)")
            }
            #expect((metrics.value("process_resident_memory_bytes") ?? 0) > 1_000_000)
            #expect((metrics.value("process_open_fds") ?? 0) >= 3)
            for tool in ["metered", "quiet"] { Self.expectZeroCounters(metrics, tool: tool) }
            #expect(metrics.samples.filter { $0.name == "l402_requests_total" }.count == 2 * CallOutcome.allCases.count)

            let upstream = try await gateway.admin(.GET, "tools/quiet", as: AdminTool.self).upstream
            _ = try await gateway.admin(
                .POST, "tools", body: #"{"slug":"added","upstream":"\#(upstream)","price_sats":3}"#, expecting: 201, as: AdminTool.self)
            Self.expectZeroCounters(try await Self.scrape(gateway), tool: "added")

            // Another gateway on the same database registers a tool: it shows up with the next reload.
            #expect(try await gateway.store().addTool(ToolConfiguration(slug: "elsewhere", upstream: URL(string: upstream)!, priceSats: 4)))
            #expect(try await eventually { try await Self.scrape(gateway).value(PaywallMetrics.invoicesIssued, ["tool": "elsewhere"]) == 0 })
            Self.expectZeroCounters(try await Self.scrape(gateway), tool: "elsewhere")
        }
    }

    /// Every counter of `tool` is on the page, at zero.
    static func expectZeroCounters(_ metrics: PrometheusText, tool: String) {
        for outcome in CallOutcome.allCases {
            let requests = metrics.value("l402_requests_total", ["tool": tool, "outcome": outcome.rawValue])
            #expect(requests == 0, "\(tool) \(outcome.rawValue)")
        }
        for scheme in Invocation.Scheme.all {
            let paid = metrics.value("l402_paid_calls_total", ["tool": tool, "scheme": scheme])
            let earned = metrics.value("l402_sats_earned_total", ["tool": tool, "scheme": scheme])
            #expect(paid == 0 && earned == 0, "\(tool) \(scheme)")
        }
        let invoices = metrics.value("l402_invoices_issued_total", ["tool": tool])
        #expect(invoices == 0, "\(tool)")
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

            let metrics = try await Self.scrape(gateway)
            func requests(_ outcome: String) -> Double? {
                metrics.value("l402_requests_total", ["tool": "metered", "outcome": outcome])
            }
            #expect(requests("free") == 2)
            #expect(requests("challenged") == 1)
            #expect(requests("paid") == 1)
            #expect(requests("refused") == 1)
            #expect(requests("rate_limited") == 0 && requests("upstream_error") == 0 && requests("unavailable") == 0)
            #expect(metrics.samples.filter { $0.name == "l402_requests_total" }.map(\.value).reduce(0, +) == 5)
            #expect(metrics.value("l402_sats_earned_total", ["tool": "metered", "scheme": "l402"]) == 4)  // 12 sats for 3 calls
            #expect(metrics.value("l402_paid_calls_total", ["tool": "metered", "scheme": "l402"]) == 1)
            #expect(metrics.value("l402_sats_earned_total", ["tool": "metered", "scheme": "payment"]) == 0)
            #expect(metrics.value("l402_invoices_issued_total", ["tool": "metered"]) == 2)  // the 402's L402 and Payment offers
            #expect(metrics.value("l402_verification_duration_seconds_count") == 2)
            // The node's time for those two invoices, apart from the gateway's own.
            #expect(metrics.value("l402_invoice_duration_seconds_count") == 2)
            #expect((metrics.value("l402_invoice_duration_seconds_sum") ?? 0) > 0)
            #expect(metrics.types["l402_invoice_duration_seconds"] == "histogram")
            #expect(metrics.value("l402_upstream_duration_seconds_count", ["tool": "metered"]) == 3)
            #expect(metrics.types["l402_verification_duration_seconds"] == "histogram")
            #expect(metrics.types["l402_requests_total"] == "counter")
            // Nothing was asked of the other tool: its counters are there, at zero.
            Self.expectZeroCounters(metrics, tool: "quiet")
        }
    }

    @Test func eachGatewayCountsOnlyItsOwnRequests() async throws {
        try await GatewayHarness.with(configure: Self.configure, tools: Self.tools) { first in
            try await GatewayHarness.with(configure: Self.configure, tools: Self.tools) { second in
                #expect(try await first.send(.GET, "/quiet/").status == 402)
                let (mine, theirs) = (try await Self.scrape(first), try await Self.scrape(second))
                #expect(mine.value("l402_requests_total", ["tool": "quiet", "outcome": "challenged"]) == 1)
                #expect(theirs.value("l402_requests_total", ["tool": "quiet", "outcome": "challenged"]) == 0)
            }
        }
    }
}
