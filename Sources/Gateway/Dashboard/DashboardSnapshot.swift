import L402
import Foundation
import Storage

/// What the dashboard shows, gathered from the tool registry and the invocation ledger at one instant.
struct DashboardSnapshot: Sendable {
    /// Calls and sats over some span.
    struct Totals: Sendable, Equatable {
        var calls = 0
        var paidCalls = 0
        var freeCalls = 0
        var sats: UInt64 = 0

        mutating func add(_ usage: DailyUsage) {
            calls += usage.calls
            paidCalls += usage.paidCalls
            freeCalls += usage.freeCalls
            sats += usage.sats
        }
    }

    /// One registered tool with its usage today and since the ledger began.
    struct ToolUsage: Sendable {
        var tool: ToolConfiguration
        var today: Totals
        var total: Totals
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
    var today: Totals
    var total: Totals
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
        var perTool: [String: (today: Totals, total: Totals)] = [:]
        var perDay: [String: Day] = [:]
        var today = Totals(), total = Totals()
        for row in usage {
            perTool[row.tool, default: (Totals(), Totals())].total.add(row)
            total.add(row)
            if row.day == todayKey {
                perTool[row.tool, default: (Totals(), Totals())].today.add(row)
                today.add(row)
            }
            perDay[row.day, default: Day(day: row.day, calls: 0, sats: 0)].calls += row.calls
            perDay[row.day, default: Day(day: row.day, calls: 0, sats: 0)].sats += row.sats
        }
        self.generatedAt = generatedAt
        self.tools = tools.sorted { $0.slug < $1.slug }.map { tool in
            let usage = perTool[tool.slug] ?? (Totals(), Totals())
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
