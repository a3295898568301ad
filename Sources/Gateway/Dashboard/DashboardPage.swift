import L402
import Foundation
import Storage

/// The dashboard itself: totals, the tools with their prices and usage, charts of the last
/// `DashboardSnapshot.chartDays` days and the latest invocations. Every value is escaped by `HTML`.
enum DashboardPage {
    /// The whole page for `snapshot`.
    static func render(_ snapshot: DashboardSnapshot) -> HTML {
        DashboardLayout.document(
            title: "l402 dashboard",
            body: """
                <main>
                <header>
                <div><h1>l402 dashboard</h1><p class="muted">As of <time datetime="\(iso(snapshot.generatedAt))">\(display(snapshot.generatedAt))</time> (UTC)</p></div>
                <form class="logout" method="post" action="\(DashboardEndpoint.logoutURL)"><button type="submit">Log out</button></form>
                </header>
                \(summary(snapshot))
                <h2>Payment schemes</h2>
                \(schemeTable(today: snapshot.today, total: snapshot.total))
                <h2>Tools</h2>
                \(toolTable(snapshot.tools))
                \(mcpToolTable(snapshot.mcpTools))
                <h2>Last \(DashboardSnapshot.chartDays) days</h2>
                \(DashboardChart(title: "Calls per day", unit: "calls", bars: snapshot.days.map { .init(day: $0.day, value: UInt64($0.calls)) }).render())
                \(DashboardChart(title: "Sats per day", unit: "sats", bars: snapshot.days.map { .init(day: $0.day, value: $0.sats) }).render())
                <h2>Latest invocations</h2>
                \(invocationTable(snapshot.latest))
                </main>
                """)
    }

    private static func summary(_ snapshot: DashboardSnapshot) -> HTML {
        """
        <section class="summary">
        <div class="card"><div class="muted">Calls today</div><div class="figure" id="calls-today">\(snapshot.today.calls)</div></div>
        <div class="card"><div class="muted">Sats today</div><div class="figure" id="sats-today">\(snapshot.today.sats)</div></div>
        <div class="card"><div class="muted">Calls in total</div><div class="figure" id="calls-total">\(snapshot.total.calls)</div></div>
        <div class="card"><div class="muted">Sats in total</div><div class="figure" id="sats-total">\(snapshot.total.sats)</div></div>
        </section>
        """
    }

    /// Paid calls and sats of L402 and of the `Payment` scheme, today and in total.
    private static func schemeTable(today: UsageTotals, total: UsageTotals) -> HTML {
        let schemes: [(id: String, name: String, usage: KeyPath<UsageTotals, SchemeUsage>)] = [
            (Invocation.Scheme.l402, "L402", \.l402), (Invocation.Scheme.payment, "Payment", \.payment),
        ]
        let rows = schemes.map { scheme -> HTML in
            let (now, ever) = (today[keyPath: scheme.usage], total[keyPath: scheme.usage])
            return """
                <tr class="scheme" data-scheme="\(scheme.id)"><td>\(scheme.name)</td>\
                <td class="num paid-today">\(now.paidCalls)</td><td class="num sats-today">\(now.sats)</td>\
                <td class="num paid-total">\(ever.paidCalls)</td><td class="num sats-total">\(ever.sats)</td></tr>

                """
        }
        return """
            <table id="schemes">
            <thead><tr><th>Scheme</th><th class="num">Paid calls today</th><th class="num">Sats today</th>\
            <th class="num">Paid calls total</th><th class="num">Sats total</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            """
    }

    private static func toolTable(_ tools: [DashboardSnapshot.ToolUsage]) -> HTML {
        guard !tools.isEmpty else { return "<p class=\"muted\" id=\"no-tools\">No tools are registered.</p>" }
        let rows = tools.map { usage -> HTML in
            let tool = usage.tool
            let rules: HTML = tool.prices.isEmpty ? "" : " <span class=\"muted\">(+\(tool.prices.count) price rule(s))</span>"
            return """
                <tr class="tool\(tool.enabled ? "" : " disabled")" data-slug="\(tool.slug)">\
                <td><code>/\(tool.slug)/</code></td><td>\(tool.description ?? "")</td>\
                <td class="num price">\(tool.priceSats)\(rules)</td><td class="num">\(tool.calls)</td><td class="num">\(tool.freeCallsPerDay)</td>\
                <td>\(tool.enabled ? "yes" : "no")</td>\
                <td class="num calls-today">\(usage.today.calls)</td><td class="num sats-today">\(usage.today.sats)</td>\
                <td class="num calls-total">\(usage.total.calls)</td><td class="num sats-total">\(usage.total.sats)</td></tr>

                """
        }
        return """
            <table id="tools">
            <thead><tr><th>Tool</th><th>Description</th><th class="num">Price (sats)</th><th class="num">Calls per token</th>\
            <th class="num">Free calls/day</th><th>Enabled</th><th class="num">Calls today</th><th class="num">Sats today</th>\
            <th class="num">Calls total</th><th class="num">Sats total</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            """
    }

    /// Revenue per MCP tool; nothing when no MCP tool call was recorded.
    private static func mcpToolTable(_ usage: [MCPToolUsage]) -> HTML {
        guard !usage.isEmpty else { return "" }
        let rows = usage.map { row -> HTML in
            """
            <tr class="mcp-tool" data-slug="\(row.tool)" data-mcp-tool="\(row.mcpTool)"><td><code>/\(row.tool)/</code></td>\
            <td><code>\(row.mcpTool)</code></td><td class="num calls">\(row.calls)</td><td class="num paid-calls">\(row.paidCalls)</td>\
            <td class="num sats">\(row.sats)</td></tr>

            """
        }
        return """
            <h2>MCP tools</h2>
            <table id="mcp-tools">
            <thead><tr><th>Tool</th><th>MCP tool</th><th class="num">Calls</th><th class="num">Paid calls</th><th class="num">Sats</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            """
    }

    private static func invocationTable(_ invocations: [Invocation]) -> HTML {
        guard !invocations.isEmpty else { return "<p class=\"muted\" id=\"no-invocations\">No invocations yet.</p>" }
        let rows = invocations.map { call -> HTML in
            let token: HTML = call.tokenID.map { "<code title=\"\($0)\">\(String($0.prefix(16)))</code>" } ?? "<span class=\"muted\">none</span>"
            return """
                <tr class="invocation outcome-\(call.outcome)">\
                <td><time datetime="\(iso(call.time))">\(display(call.time))</time></td><td><code>\(call.tool)</code>\(mcpTool(call))</td>\
                <td class="outcome">\(call.outcome)</td><td class="scheme">\(call.scheme ?? "none")</td><td class="num sats">\(call.sats)</td>\
                <td class="num status">\(call.upstreamStatus.map(String.init) ?? "none")</td>\
                <td class="num latency">\(String(format: "%.1f ms", call.latencyMs))</td><td class="token">\(token)</td></tr>

                """
        }
        return """
            <table id="invocations">
            <thead><tr><th>Time (UTC)</th><th>Tool</th><th>Outcome</th><th>Scheme</th><th class="num">Sats</th><th class="num">Status</th>\
            <th class="num">Latency</th><th>Token id</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            """
    }

    /// ` · search` after the tool of an MCP tool call.
    private static func mcpTool(_ call: Invocation) -> HTML {
        call.mcpTool.map { " <span class=\"muted mcp-tool\">· \($0)</span>" } ?? ""
    }

    private static func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// `2026-11-25 09:41:07`, UTC.
    private static func display(_ date: Date) -> String {
        String(iso(date).replacingOccurrences(of: "T", with: " ").dropLast())  // drop the zone's "Z"
    }
}
