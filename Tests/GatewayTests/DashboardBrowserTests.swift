import L402
import Foundation
import Storage
import TestSupport
import Testing

@testable import Gateway

/// The dashboard in a real browser (headless Chromium): log in through the form, then check that
/// the page shows the seeded tools, today's and all-time figures, the 30 daily bars and the latest
/// invocations, and keep a screenshot and the DOM.
@Suite struct DashboardBrowserTests {
    static func tools(_ ports: [Int]) -> [ToolConfiguration] {
        let echo = URL(string: "http://127.0.0.1:\(ports[0])")!
        return [
            ToolConfiguration(slug: "weather", upstream: echo, priceSats: 21, description: "Forecasts by city"),
            ToolConfiguration(slug: "search", upstream: echo, priceSats: 6, calls: 3, description: #"<b>Search</b> & "find""#),
            ToolConfiguration(slug: "archive", upstream: echo, priceSats: 100, description: "Old things", freeCallsPerDay: 2),
        ]
    }

    @Test(.enabled(if: DashboardBrowser.required || DashboardBrowser.missingPeer == nil, "headless Chromium is not installed"))
    func dashboardInHeadlessChromium() async throws {
        if let missing = DashboardBrowser.missingPeer { throw missing }
        try await GatewayHarness.with(configure: { $0.adminToken = GatewayHarness.dashboardAdminToken }, tools: Self.tools) { gateway in
            let store = try gateway.openStore()
            var archive = try #require(try await store.tool(slug: "archive"))
            archive.enabled = false
            #expect(try await store.updateTool(archive))
            let registered = try await store.allTools()

            // Real paid calls through the dev node: two single-call tokens, one three-call token used twice.
            for _ in 0..<2 {
                let token = try await gateway.buy("/weather/today")
                #expect(try await gateway.send(.GET, "/weather/today", authorization: "L402 \(token.macaroon):\(token.preimage)").status == 200)
            }
            let search = try await gateway.buy("/search/q")
            for _ in 0..<2 {
                #expect(try await gateway.send(.GET, "/search/q", authorization: "L402 \(search.macaroon):\(search.preimage)").status == 200)
            }
            // Older days, written to the gateway's ledger directly, paid with either scheme (or before schemes
            // were recorded); one falls outside the 30-day chart.
            let now = Date()
            let (l402, payment) = (Invocation.Scheme.l402, Invocation.Scheme.payment)
            for (daysAgo, tool, sats, outcome, scheme) in [
                (1, "weather", UInt64(21), "paid", payment), (1, "weather", 21, "paid", l402), (1, "weather", 21, "paid", payment),
                (5, "search", 2, "paid", nil), (5, "search", 0, "free", nil), (40, "weather", 21, "paid", payment),
            ] {
                try await store.record(Invocation(
                    time: now.addingTimeInterval(-Double(daysAgo) * 86_400), tool: tool, tokenID: nil, sats: sats,
                    upstreamStatus: 200, latencyMs: 3, outcome: outcome, scheme: scheme))
            }
            let ledger = try await store.invocations(tool: nil, since: nil, until: nil, limit: 100, offset: 0)
            let expected = Expected(ledger: ledger, now: now)
            #expect(expected.today["weather"]?.calls == 2 && expected.today["search"]?.calls == 2, "the live calls were metered")
            #expect(expected.todayPerScheme[l402]?.calls == 4, "the live calls were L402 calls")

            let output = FileManager.default.temporaryDirectory.appendingPathComponent("l402-browser-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: output) }
            let report = try await DashboardBrowser.visit(base: gateway.adminBase, adminToken: GatewayHarness.dashboardAdminToken, outputDirectory: output)

            // The login: form first, a wrong token refused, the right one lets the browser in.
            #expect(report.before_login.present && report.before_login.has_token_field && report.before_login.error == nil)
            #expect(report.wrong_token.present && report.wrong_token.error == "Wrong admin token.")
            #expect(report.url_after_login == gateway.adminBase + "/_l402/dashboard")
            let cookie = try #require(report.cookies.first { $0.name == DashboardSession.cookieName })
            #expect(cookie.httpOnly == true && cookie.sameSite == "Strict" && cookie.path == "/_l402/")
            #expect(!cookie.value.contains(GatewayHarness.dashboardAdminToken))
            #expect(report.script_visible_cookie == "", "HttpOnly: page scripts cannot read the session")

            // The page: figures as seeded.
            let page = report.dashboard
            #expect(page.title == "l402 dashboard")
            #expect(page.scripts == 0)
            #expect(page.summary["calls-today"] == "\(expected.todayCalls)")
            #expect(page.summary["sats-today"] == "\(expected.todaySats)")
            #expect(page.summary["calls-total"] == "\(ledger.count)")
            #expect(page.summary["sats-total"] == "\(ledger.reduce(0) { $0 + $1.sats })")
            #expect(page.tools.map(\.slug) == ["archive", "search", "weather"])
            #expect(page.tools.first?.cells[5] == "no", "the disabled tool says so")
            for row in page.tools {
                let tool = try #require(registered.first { $0.slug == row.slug })
                let today = expected.today[tool.slug] ?? .zero, total = expected.total[tool.slug] ?? .zero
                #expect(row.cells == [
                    "/\(tool.slug)/", tool.description ?? "", "\(tool.priceSats)", "\(tool.calls)", "\(tool.freeCallsPerDay)",
                    tool.enabled ? "yes" : "no", "\(today.calls)", "\(today.sats)", "\(total.calls)", "\(total.sats)",
                ])
            }

            // Paid calls and sats per scheme, today and in total.
            #expect(page.schemes.map(\.scheme) == [l402, payment])
            for row in page.schemes {
                let today = expected.todayPerScheme[row.scheme] ?? .zero, total = expected.totalPerScheme[row.scheme] ?? .zero
                #expect(row.cells == [row.scheme == l402 ? "L402" : "Payment", "\(today.calls)", "\(today.sats)", "\(total.calls)", "\(total.sats)"])
            }
            #expect(expected.totalPerScheme[payment] == .init(calls: 3, sats: 63), "the seeded Payment calls are all shown")

            // The charts: 30 bars each, one per day ending today, values and heights as the ledger says.
            #expect(page.charts.map(\.class) == ["chart calls", "chart sats"])
            for chart in page.charts {
                let isCalls = chart.class.hasSuffix("calls")
                #expect(chart.bars.map(\.day) == DashboardSnapshot.chartDayKeys(endingAt: now))
                #expect(chart.bars.map(\.value) == chart.bars.map { isCalls ? UInt64(expected.perDay[$0.day]?.calls ?? 0) : expected.perDay[$0.day]?.sats ?? 0 })
                #expect(chart.bars.filter { $0.value > 0 }.count == 3)
                #expect(chart.bars.map(\.height).max() == 150 && chart.bars.filter { $0.value == 0 }.allSatisfy { $0.height == 0 })
                #expect(chart.rendered_width > 600 && chart.rendered_height > 150)
            }

            // The latest invocations, newest first.
            #expect(page.invocations.count == ledger.count)
            let newest = try #require(ledger.first)
            let firstRow = try #require(page.invocations.first)
            #expect(firstRow.count == 8)
            #expect(firstRow[1] == newest.tool && firstRow[2] == "paid" && firstRow[3] == l402)
            #expect(firstRow[4] == "\(newest.sats)" && firstRow[5] == "200")
            #expect(firstRow[7] == String(try #require(newest.tokenID).prefix(16)))
            #expect(page.invocations.last?[7] == "none", "ledger rows without a token say so")
            #expect(page.invocations.map(\.[3]) == ledger.map { $0.scheme ?? "none" })

            // Screenshot and DOM kept by the browser.
            let png = try #require(FileManager.default.contents(atPath: output + "/dashboard.png"))
            let size = try PNGSize(png)
            #expect(size.width >= 800 && size.height >= 600 && png.count > 10_000)
            let dom = try String(contentsOfFile: output + "/dashboard.html", encoding: .utf8)
            #expect(dom.contains(#"<svg class="chart calls""#) && dom.contains(#"data-slug="weather""#))
            #expect(dom.contains("&lt;b&gt;Search&lt;/b&gt; &amp; \"find\""), "the description stays text in the DOM")

            // Logging out brings the form back and drops the cookie.
            #expect(report.after_logout.present)
            #expect(!report.cookies_after_logout.contains { $0.name == DashboardSession.cookieName })
        }
    }

    /// What the page should show, summed straight from the ledger rows.
    struct Expected {
        struct Figures: Equatable {
            var calls = 0
            var sats: UInt64 = 0
            static let zero = Figures()
        }

        var today: [String: Figures] = [:]
        var total: [String: Figures] = [:]
        var perDay: [String: Figures] = [:]
        /// Paid calls and their sats per scheme.
        var todayPerScheme: [String: Figures] = [:]
        var totalPerScheme: [String: Figures] = [:]
        var todayCalls: Int { today.values.reduce(0) { $0 + $1.calls } }
        var todaySats: UInt64 { today.values.reduce(0) { $0 + $1.sats } }

        init(ledger: [Invocation], now: Date) {
            let todayKey = FreeCallDay.string(for: now)
            for call in ledger {
                let day = FreeCallDay.string(for: call.time)
                total[call.tool, default: .zero].calls += 1
                total[call.tool, default: .zero].sats += call.sats
                perDay[day, default: .zero].calls += 1
                perDay[day, default: .zero].sats += call.sats
                if day == todayKey {
                    today[call.tool, default: .zero].calls += 1
                    today[call.tool, default: .zero].sats += call.sats
                }
                guard let scheme = call.scheme, call.outcome == Invocation.Outcome.paid else { continue }
                totalPerScheme[scheme, default: .zero].calls += 1
                totalPerScheme[scheme, default: .zero].sats += call.sats
                if day == todayKey {
                    todayPerScheme[scheme, default: .zero].calls += 1
                    todayPerScheme[scheme, default: .zero].sats += call.sats
                }
            }
        }
    }
}

/// Width and height from a PNG's IHDR chunk; throws unless the bytes start like a PNG.
struct PNGSize {
    var width: Int
    var height: Int

    init(_ data: Data) throws {
        let bytes = [UInt8](data.prefix(24))
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count == 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            throw Subprocess.Failure(description: "not a PNG (first bytes \(bytes))")
        }
        func bigEndian(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        width = bigEndian(16)
        height = bigEndian(20)
    }
}
