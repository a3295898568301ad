import L402
import Foundation
import Storage

/// One page of `GET /_l402/admin/invocations`, newest first.
public struct AdminInvocationPage: Codable, Sendable {
    public var invocations: [AdminInvocation]
    /// The `offset` of the next page; null on the last page.
    public var nextOffset: Int?

    enum CodingKeys: String, CodingKey {
        case invocations
        case nextOffset = "next_offset"
    }

    public init(invocations: [AdminInvocation], nextOffset: Int?) {
        self.invocations = invocations
        self.nextOffset = nextOffset
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(invocations, forKey: .invocations)
        try container.encode(nextOffset, forKey: .nextOffset)  // null on the last page, never missing
    }
}

/// A metered call as the admin API shows it.
public struct AdminInvocation: Codable, Sendable {
    public var id: Int64?
    /// RFC 3339, UTC, with milliseconds.
    public var time: String
    public var tool: String
    public var tokenID: String?
    public var sats: UInt64
    public var upstreamStatus: Int?
    public var latencyMs: Double
    /// `paid`, `free` or `upstream_error`.
    public var outcome: String
    /// The MCP tool a call of an MCP tool named (comma-separated for a batch); null for plain HTTP calls.
    public var mcpTool: String?

    public init(_ invocation: Invocation) {
        mcpTool = invocation.mcpTool
        id = invocation.id
        time = invocation.time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        tool = invocation.tool
        tokenID = invocation.tokenID
        sats = invocation.sats
        upstreamStatus = invocation.upstreamStatus
        latencyMs = (invocation.latencyMs * 1000).rounded() / 1000
        outcome = invocation.outcome
    }

    enum CodingKeys: String, CodingKey {
        case id, time, tool, sats, outcome
        case tokenID = "token_id"
        case upstreamStatus = "upstream_status"
        case latencyMs = "latency_ms"
        case mcpTool = "mcp_tool"
    }

    /// Every key is present; an absent token id (free call), status (unreachable upstream) or MCP tool is null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(time, forKey: .time)
        try container.encode(tool, forKey: .tool)
        try container.encode(tokenID, forKey: .tokenID)
        try container.encode(sats, forKey: .sats)
        try container.encode(upstreamStatus, forKey: .upstreamStatus)
        try container.encode(latencyMs, forKey: .latencyMs)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(mcpTool, forKey: .mcpTool)
    }
}

/// `GET /_l402/admin/usage`: calls and sats per tool per UTC day, per tool, and overall.
public struct AdminUsageReport: Codable, Sendable {
    /// Ordered by day, then tool.
    public var days: [AdminUsage]
    /// One row per tool, sorted by slug.
    public var tools: [AdminUsage]
    public var total: AdminUsage

    /// The report summed from the ledger's daily rows.
    public init(_ daily: [DailyUsage]) {
        days = daily.map { AdminUsage(tool: $0.tool, day: $0.day).adding($0) }
        var perTool: [String: AdminUsage] = [:]
        for day in daily { perTool[day.tool] = (perTool[day.tool] ?? AdminUsage(tool: day.tool)).adding(day) }
        tools = perTool.values.sorted { ($0.tool ?? "") < ($1.tool ?? "") }
        total = daily.reduce(AdminUsage(tool: nil)) { $0.adding($1) }
    }
}

/// Calls and sats over some days (one day when `day` is set) of one tool (all tools when `tool` is nil).
public struct AdminUsage: Codable, Sendable, Equatable {
    public var tool: String?
    /// UTC `YYYY-MM-DD`.
    public var day: String?
    public var calls = 0
    public var paidCalls = 0
    public var freeCalls = 0
    public var sats: UInt64 = 0

    public init(tool: String?, day: String? = nil) {
        self.tool = tool
        self.day = day
    }

    /// This sum plus one day's usage.
    public func adding(_ usage: DailyUsage) -> AdminUsage {
        var sum = self
        sum.calls += usage.calls
        sum.paidCalls += usage.paidCalls
        sum.freeCalls += usage.freeCalls
        sum.sats += usage.sats
        return sum
    }

    enum CodingKeys: String, CodingKey {
        case tool, day, calls, sats
        case paidCalls = "paid_calls"
        case freeCalls = "free_calls"
    }
}
