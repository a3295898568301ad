import L402
import Foundation
import Storage

/// What the dashboard shows, gathered from the tool registry and the invocation ledger at one instant.
struct DashboardSnapshot: Sendable {
    /// One registered tool with its usage today and since the ledger began.
    struct ToolUsage: Sendable {
        var tool: ToolConfiguration
        var today: UsageTotals
        var total: UsageTotals
    }

    /// All tools together on one UTC day.
    struct Day: Sendable, Equatable {
        /// `YYYY-MM-DD`, UTC.
        var day: String
        var calls: Int
        var sats: UInt64
    }

    /// How many days the charts cover, today included.
    static let chartDays = 30
    /// How many of the newest invocations the page lists.
    static let latestLimit = 50

    var generatedAt: Date
    /// Every registered tool (enabled or not), sorted by slug.
    var tools: [ToolUsage]
    /// All tools together.
    var today: UsageTotals
    var total: UsageTotals
    /// `chartDays` entries, oldest first, ending today; idle days are present with zeros.
    var days: [Day]
    /// The newest invocations, newest first.
    var latest: [Invocation]
    /// Calls and revenue per MCP tool of the MCP tools (`kind: mcp`), since the ledger began.
    var mcpTools: [MCPToolUsage]

    /// Sums `usage` (per tool and day) into per-tool, overall and per-day figures as of `generatedAt`.
    init(generatedAt: Date, tools: [ToolConfiguration], usage: [DailyUsage], latest: [Invocation], mcpTools: [MCPToolUsage] = []) {
        self.mcpTools = mcpTools
        let todayKey = FreeCallDay.string(for: generatedAt)
        var perTool: [String: (today: UsageTotals, total: UsageTotals)] = [:]
        var perDay: [String: Day] = [:]
        var today = UsageTotals(), total = UsageTotals()
        for row in usage {
            perTool[row.tool, default: (UsageTotals(), UsageTotals())].total.add(row.totals)
            total.add(row.totals)
            if row.day == todayKey {
                perTool[row.tool, default: (UsageTotals(), UsageTotals())].today.add(row.totals)
                today.add(row.totals)
            }
            perDay[row.day, default: Day(day: row.day, calls: 0, sats: 0)].calls += row.totals.calls
            perDay[row.day, default: Day(day: row.day, calls: 0, sats: 0)].sats += row.totals.sats
        }
        self.generatedAt = generatedAt
        self.tools = tools.sorted { $0.slug < $1.slug }.map { tool in
            let usage = perTool[tool.slug] ?? (UsageTotals(), UsageTotals())
            return ToolUsage(tool: tool, today: usage.today, total: usage.total)
        }
        self.today = today
        self.total = total
        self.days = Self.chartDayKeys(endingAt: generatedAt).map { perDay[$0] ?? Day(day: $0, calls: 0, sats: 0) }
        self.latest = latest
    }

    /// Reads the registry and the ledger.
    static func load(registry: any ToolRegistry, ledger: any InvocationLedger, now: Date) async throws -> DashboardSnapshot {
        async let tools = registry.allTools()
        async let usage = ledger.dailyUsage(tool: nil, since: nil, until: nil)
        async let latest = ledger.invocations(tool: nil, since: nil, until: nil, limit: latestLimit, offset: 0)
        async let mcpTools = ledger.mcpToolUsage(since: nil, until: nil)
        return try await DashboardSnapshot(generatedAt: now, tools: tools, usage: usage, latest: latest, mcpTools: mcpTools)
    }

    /// The UTC day keys of the chart, oldest first, the last one being `date`'s day.
    static func chartDayKeys(endingAt date: Date) -> [String] {
        (0..<chartDays).reversed().map { FreeCallDay.string(for: date.addingTimeInterval(-Double($0) * 86_400)) }
    }
}
