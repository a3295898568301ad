import L402
import Foundation
import Storage
import Testing

@testable import Gateway

/// The dashboard's pieces on plain values: escaping, the usage sums, the chart, the session cookie.
@Suite struct DashboardRenderingTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 (UTC)
    static let today = FreeCallDay.string(for: now)

    static func day(_ offset: Int) -> String { FreeCallDay.string(for: now.addingTimeInterval(Double(offset) * 86_400)) }

    static func tool(_ slug: String, description: String? = nil, price: UInt64 = 10) -> ToolConfiguration {
        ToolConfiguration(slug: slug, upstream: URL(string: "http://127.0.0.1:1")!, priceSats: price, description: description)
    }

    @Test func escapingCoversEveryMarkupCharacter() {
        #expect(HTML.escape(#"<a href="x" title='y'>&</a>"#) == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
        #expect(HTML.escape("plain ünïcødé 🗲") == "plain ünïcødé 🗲")
        let slug = "<b>"
        let fragment: HTML = "<td>\(slug)</td><td>\(42)</td>\(HTML(trusted: "<br>"))"
        #expect(fragment.markup == "<td>&lt;b&gt;</td><td>42</td><br>")
    }

    @Test func snapshotSumsTodayTotalsAndTheChartWindow() {
        let usage = [
            DailyUsage(day: Self.day(-40), tool: "a", calls: 100, paidCalls: 100, freeCalls: 0, sats: 1000),
            DailyUsage(day: Self.day(-29), tool: "a", calls: 2, paidCalls: 1, freeCalls: 1, sats: 10),
            DailyUsage(day: Self.day(-1), tool: "b", calls: 4, paidCalls: 4, freeCalls: 0, sats: 8),
            DailyUsage(
                day: Self.today, tool: "a", calls: 3, paidCalls: 2, freeCalls: 1, sats: 20, l402: .init(paidCalls: 1, sats: 12),
                payment: .init(paidCalls: 1, sats: 8)),
            DailyUsage(day: Self.today, tool: "b", calls: 1, paidCalls: 1, freeCalls: 0, sats: 2, payment: .init(paidCalls: 1, sats: 2)),
        ]
        let snapshot = DashboardSnapshot(generatedAt: Self.now, tools: [Self.tool("b"), Self.tool("a")], usage: usage, latest: [])
        #expect(snapshot.tools.map(\.tool.slug) == ["a", "b"])
        #expect(snapshot.tools[0].today == .init(
            calls: 3, paidCalls: 2, freeCalls: 1, sats: 20, l402: .init(paidCalls: 1, sats: 12), payment: .init(paidCalls: 1, sats: 8)))
        #expect(snapshot.tools[0].total == .init(
            calls: 105, paidCalls: 103, freeCalls: 2, sats: 1030, l402: .init(paidCalls: 1, sats: 12), payment: .init(paidCalls: 1, sats: 8)))
        #expect(snapshot.tools[1].total == .init(calls: 5, paidCalls: 5, freeCalls: 0, sats: 10, payment: .init(paidCalls: 1, sats: 2)))
        #expect(snapshot.today == .init(
            calls: 4, paidCalls: 3, freeCalls: 1, sats: 22, l402: .init(paidCalls: 1, sats: 12), payment: .init(paidCalls: 2, sats: 10)))
        let page = DashboardPage.render(snapshot).markup
        #expect(page.contains(#"<tr class="scheme" data-scheme="payment"><td>Payment</td><td class="num paid-today">2</td><td class="num sats-today">10</td>"#))
        #expect(snapshot.total.sats == 1040)
        #expect(snapshot.days.count == DashboardSnapshot.chartDays)
        #expect(snapshot.days.first == .init(day: Self.day(-29), calls: 2, sats: 10))
        #expect(snapshot.days[28] == .init(day: Self.day(-1), calls: 4, sats: 8))
        #expect(snapshot.days.last == .init(day: Self.today, calls: 4, sats: 22))
        #expect(snapshot.days.filter { $0.calls > 0 }.count == 3, "day -40 is outside the chart; idle days are zeros")
    }

    @Test func chartHasOneScaledBarPerDay() {
        let bars = [DashboardChart.Bar(day: "2026-11-01", value: 0), .init(day: "2026-11-02", value: 1), .init(day: "2026-11-03", value: 300)]
        let svg = DashboardChart(title: "Sats per day", unit: "sats", bars: bars).render().markup
        #expect(svg.components(separatedBy: "<rect class=\"bar\"").count - 1 == 3)
        #expect(svg.contains(#"data-day="2026-11-01" data-value="0" x="56" y="168" width="18" height="0""#))
        #expect(svg.contains(#"data-day="2026-11-03" data-value="300" x="104" y="18" width="18" height="150""#))
        #expect(svg.contains("<title>2026-11-02: 1 sats</title>"))
        #expect(DashboardChart.barHeight(1, peak: 300) == 1, "a non-zero day stays visible")
        #expect(DashboardChart.barHeight(150, peak: 300) == 75)
        #expect(DashboardChart.barHeight(0, peak: 0) == 0)
    }

    @Test func pageEscapesOperatorAndLedgerData() {
        let hostile = #"<script>alert(1)</script>"#
        let call = Invocation(
            time: Self.now, tool: "<i>x</i>", tokenID: "\"><b>", sats: 5, upstreamStatus: 200, latencyMs: 1.25, outcome: "<o>")
        let snapshot = DashboardSnapshot(generatedAt: Self.now, tools: [Self.tool("t", description: hostile)], usage: [], latest: [call])
        let page = DashboardPage.render(snapshot).markup
        #expect(!page.contains("<script") && !page.contains("<i>") && !page.contains("<b>") && !page.contains("<o>"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("<code>&lt;i&gt;x&lt;/i&gt;</code>"))
        #expect(page.contains(#"title="&quot;&gt;&lt;b&gt;""#))
        #expect(page.contains("1.2 ms") || page.contains("1.3 ms"))
    }

    @Test func sessionCookieIsBoundToTheTokenAndExpires() {
        let session = DashboardSession(adminToken: AdminToken("first-admin-token-0123456789abcdefghij"))
        let value = session.issue(now: Self.now)
        #expect(session.accepts(value, now: Self.now))
        #expect(session.accepts(value, now: Self.now.addingTimeInterval(session.lifetime - 1)))
        #expect(!session.accepts(value, now: Self.now.addingTimeInterval(session.lifetime)), "expired")
        let other = DashboardSession(adminToken: AdminToken("other-admin-token-0123456789abcdefghij"))
        #expect(!other.accepts(value, now: Self.now), "another admin token ends the session")

        let parts = value.split(separator: ".")
        let extended = "\(Int(parts[0])! + 3600).\(parts[1])"
        #expect(!session.accepts(extended, now: Self.now), "the expiry is under the MAC")
        for garbage in [nil, "", ".", "123", "x.\(parts[1])", "\(parts[0]).zz", "\(parts[0]).\(parts[1].dropLast(2))", String(repeating: "1", count: 200)] {
            #expect(!session.accepts(garbage, now: Self.now))
        }
    }
}
