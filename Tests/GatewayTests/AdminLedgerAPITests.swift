import L402
import Foundation
import L402Admin
import Gateway
import Storage
import Testing

/// `/_l402/admin/invocations` and `/_l402/admin/usage` over a ledger with known rows.
@Suite struct AdminLedgerAPITests {
    static let day1 = Date(timeIntervalSince1970: 1_794_996_000)  // 2026-11-18T10:00:00Z
    static let dayName1 = "2026-11-18"

    /// Five rows over two days and two tools, paid with either scheme, written into the gateway's database.
    static func seed(_ gateway: GatewayHarness) async throws {
        let store = try gateway.store()
        let (l402, payment) = (Invocation.Scheme.l402, Invocation.Scheme.payment)
        let rows: [(TimeInterval, String, UInt64, String, String?)] = [
            (0, "weather", 10, Invocation.Outcome.paid, l402), (60, "weather", 0, Invocation.Outcome.free, nil),
            (120, "maps", 3, Invocation.Outcome.paid, payment), (86_400, "weather", 10, Invocation.Outcome.paid, payment),
            (86_460, "weather", 0, Invocation.Outcome.upstreamError, nil),
        ]
        for (offset, tool, sats, outcome, scheme) in rows {
            try await store.record(Invocation(
                time: day1.addingTimeInterval(offset), tool: tool, tokenID: sats > 0 ? String(repeating: "c", count: 64) : nil,
                sats: sats, upstreamStatus: outcome == Invocation.Outcome.upstreamError ? nil : 200, latencyMs: 1.5, outcome: outcome,
                scheme: scheme))
        }
    }

    static func tools(_ ports: [Int]) -> [ToolConfiguration] { AdminToolsAPITests.weather(ports) }

    @Test func invocationsArePagedNewestFirst() async throws {
        try await GatewayHarness.with(tools: Self.tools) { gateway in
            try await Self.seed(gateway)
            let first = try await gateway.admin(.GET, "invocations?limit=2", as: AdminInvocationPage.self)
            #expect(first.invocations.map(\.outcome) == ["upstream_error", "paid"])
            #expect(first.invocations.map(\.scheme) == [nil, "payment"])
            #expect(first.nextOffset == 2)
            let second = try await gateway.admin(.GET, "invocations?limit=2&offset=2", as: AdminInvocationPage.self)
            #expect(second.invocations.map(\.tool) == ["maps", "weather"] && second.nextOffset == 4)
            let last = try await gateway.admin(.GET, "invocations?limit=2&offset=4", as: AdminInvocationPage.self)
            #expect(last.invocations.count == 1 && last.nextOffset == nil)
            #expect(last.invocations.first?.time == "2026-11-18T10:00:00.000Z")
            let all = try await gateway.admin(.GET, "invocations", as: AdminInvocationPage.self)
            #expect(all.invocations.count == 5 && all.nextOffset == nil)
            #expect(Set(all.invocations.compactMap(\.id)).count == 5)
            // The last page's next offset is null, not missing.
            #expect(try await gateway.admin(.GET, "invocations?offset=4").body.contains(#""next_offset":null"#))
            // So are a free call's token id and an unreachable upstream's status.
            let newest = try await gateway.admin(.GET, "invocations?limit=1").body
            #expect(newest.contains(#""token_id":null"#) && newest.contains(#""upstream_status":null"#), "\(newest)")
            #expect(newest.contains(#""scheme":null"#), "\(newest)")
            #expect(try await gateway.admin(.GET, "invocations?limit=1&offset=1").body.contains(#""scheme":"payment""#))
        }
    }

    @Test func invocationsFilterByToolAndTime() async throws {
        try await GatewayHarness.with(tools: Self.tools) { gateway in
            try await Self.seed(gateway)
            let maps = try await gateway.admin(.GET, "invocations?tool=maps", as: AdminInvocationPage.self)
            #expect(maps.invocations.map(\.sats) == [3])
            // A day as `until` includes that day; an RFC 3339 time is exclusive.
            let firstDay = try await gateway.admin(.GET, "invocations?since=\(Self.dayName1)&until=\(Self.dayName1)", as: AdminInvocationPage.self)
            #expect(firstDay.invocations.count == 3)
            let instant = ISO8601DateFormatter().string(from: Self.day1.addingTimeInterval(60))
            let beforeMinute = try await gateway.admin(.GET, "invocations?until=\(instant)", as: AdminInvocationPage.self)
            #expect(beforeMinute.invocations.count == 1)
            let fromMinute = try await gateway.admin(.GET, "invocations?since=\(instant)&tool=weather", as: AdminInvocationPage.self)
            #expect(fromMinute.invocations.count == 3)
            let offsetTime = try await gateway.admin(.GET, "invocations?since=2026-11-19T00:00:00%2B02:00", as: AdminInvocationPage.self)
            #expect(offsetTime.invocations.count == 2)
            // An unencoded `+` is the offset's sign, not a space.
            let plus = try await gateway.admin(.GET, "invocations?since=2026-11-19T00:00:00+02:00", as: AdminInvocationPage.self)
            #expect(plus.invocations.count == 2)
            let fraction = try await gateway.admin(.GET, "invocations?since=2026-11-18t10:00:59.5z&until=2026-11-18T10:01:00.5Z", as: AdminInvocationPage.self)
            #expect(fraction.invocations.map(\.outcome) == ["free"])
        }
    }

    /// Garbage in the query string is a precise 400 naming the parameter.
    @Test(arguments: [
        ("invocations?since=yesterday", "since", "RFC 3339"), ("invocations?until=2026-02-30", "until", "RFC 3339"),
        ("invocations?since=2026-11-18T25:00:00Z", "since", "RFC 3339"), ("invocations?since=2026-11-18T10:00:00", "since", "RFC 3339"),
        ("invocations?since=2026-11-18T10:00:00.Z", "since", "RFC 3339"), ("invocations?since=2026-11-18T10:00:00%2B2", "since", "RFC 3339"),
        ("usage?since=11/18/2026", "since", "RFC 3339"),
        ("invocations?limit=0", "limit", "1...1000"), ("invocations?limit=ten", "limit", "whole number"),
        ("invocations?offset=-1", "offset", "whole number"), ("invocations?page=2", "page", "unknown query parameter"),
        ("usage?limit=2", "limit", "unknown query parameter"), ("invocations?tool=", "tool", "empty"),
        ("invocations?tool=a&tool=b", "tool", "more than once"),
        ("usage?since=2026-11-20&until=2026-11-19", "until", "after `since`"),
    ])
    func badQueriesAreNamed(path: String, field: String, reason: String) async throws {
        try await GatewayHarness.with(tools: Self.tools) { gateway in
            let response = try await gateway.admin(.GET, path)
            #expect(response.status == 400, "\(response.body)")
            let error = try JSONDecoder().decode(ErrorJSON.self, from: Data(response.body.utf8))
            #expect(error.error == "invalid_field" && error.field == field && error.message.contains(reason), "\(response.body)")
        }
    }

    @Test func usageIsSummedPerToolPerDay() async throws {
        try await GatewayHarness.with(tools: Self.tools) { gateway in
            try await Self.seed(gateway)
            let report = try await gateway.admin(.GET, "usage", as: AdminUsageReport.self)
            #expect(report.days.map { "\($0.day ?? "")/\($0.tool ?? "")" } == ["2026-11-18/maps", "2026-11-18/weather", "2026-11-19/weather"])
            let weather18 = try #require(report.days.first { $0.day == "2026-11-18" && $0.tool == "weather" })
            #expect(weather18.calls == 2 && weather18.paidCalls == 1 && weather18.freeCalls == 1 && weather18.sats == 10)
            #expect(report.tools.map(\.tool) == ["maps", "weather"])
            let weather = try #require(report.tools.last)
            #expect(weather.calls == 4 && weather.paidCalls == 2 && weather.freeCalls == 1 && weather.sats == 20 && weather.day == nil)
            #expect(report.total.calls == 5 && report.total.sats == 23 && report.total.tool == nil)
            // Per scheme, beside the totals: each of the ledger's paid calls under the scheme that paid it.
            #expect(weather18.schemes == ["l402": .init(SchemeUsage(paidCalls: 1, sats: 10)), "payment": .init(SchemeUsage())])
            #expect(weather.schemes == ["l402": .init(SchemeUsage(paidCalls: 1, sats: 10)), "payment": .init(SchemeUsage(paidCalls: 1, sats: 10))])
            #expect(report.total.schemes == ["l402": .init(SchemeUsage(paidCalls: 1, sats: 10)), "payment": .init(SchemeUsage(paidCalls: 2, sats: 13))])
            let json = try await gateway.admin(.GET, "usage?tool=maps").body
            #expect(json.contains(#""schemes":{"#) && json.contains(#""paid_calls":1"#), "\(json)")

            let oneDay = try await gateway.admin(.GET, "usage?tool=weather&since=2026-11-19", as: AdminUsageReport.self)
            #expect(oneDay.days.count == 1 && oneDay.total.calls == 2 && oneDay.total.sats == 10 && oneDay.total.paidCalls == 1)
            let empty = try await gateway.admin(.GET, "usage?until=2026-11-17", as: AdminUsageReport.self)
            #expect(empty.days.isEmpty && empty.tools.isEmpty && empty.total.calls == 0)
        }
    }

    @Test func aPaidCallShowsUpInTheLedgerRoutes() async throws {
        try await GatewayHarness.with(tools: Self.tools) { gateway in
            let token = try await gateway.buy("/weather/now")
            #expect(try await gateway.send(.GET, "/weather/now", authorization: "L402 \(token.macaroon):\(token.preimage)").status == 200)
            let page = try await gateway.admin(.GET, "invocations?tool=weather", as: AdminInvocationPage.self)
            let call = try #require(page.invocations.first)
            #expect(page.invocations.count == 1 && call.outcome == "paid" && call.sats == 5 && call.upstreamStatus == 200)
            #expect(call.scheme == "l402")
            #expect(call.tokenID?.count == 64)
            let today = try await gateway.admin(.GET, "usage?since=\(Date().formatted(.iso8601.year().month().day()))", as: AdminUsageReport.self)
            #expect(today.total.paidCalls == 1 && today.total.sats == 5)
            #expect(today.total.schemes["l402"] == .init(SchemeUsage(paidCalls: 1, sats: 5)) && today.total.schemes["payment"]?.paidCalls == 0)
        }
    }
}
