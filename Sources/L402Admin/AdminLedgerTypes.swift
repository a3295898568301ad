import Foundation
import L402

/// One page of `GET /_l402/admin/invocations`, newest first.
public struct AdminInvocationPage: Codable, Sendable {
    /// The calls of this page.
    public var invocations: [AdminInvocation]
    /// The `offset` of the next page; null on the last page.
    public var nextOffset: Int?

    enum CodingKeys: String, CodingKey {
        case invocations
        case nextOffset = "next_offset"
    }

    /// A page of these calls; `nextOffset` nil when no page follows.
    public init(invocations: [AdminInvocation], nextOffset: Int?) {
        self.invocations = invocations
        self.nextOffset = nextOffset
    }

    /// Encodes the page; `next_offset` is null on the last page, never missing.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(invocations, forKey: .invocations)
        try container.encode(nextOffset, forKey: .nextOffset)
    }
}

/// A metered call as the admin API shows it.
public struct AdminInvocation: Codable, Sendable {
    /// The ledger row's id.
    public var id: Int64?
    /// RFC 3339, UTC, with milliseconds.
    public var time: String
    /// The slug of the tool called.
    public var tool: String
    /// The token the call was paid with (hex); nil for a free call.
    public var tokenID: String?
    /// The sats this call earned.
    public var sats: UInt64
    /// The upstream's HTTP status; nil when the upstream could not be reached.
    public var upstreamStatus: Int?
    /// How long the call took, in milliseconds (to the microsecond).
    public var latencyMs: Double
    /// `paid`, `free` or `upstream_error`.
    public var outcome: String
    /// The MCP tool a call of an MCP tool named (comma-separated for a batch); null for plain HTTP calls.
    public var mcpTool: String?
    /// The scheme that paid for the call (`l402` or `payment`); null for a free call.
    public var scheme: String?

    /// The admin API's view of a ledger row.
    public init(_ invocation: Invocation) {
        mcpTool = invocation.mcpTool
        scheme = invocation.scheme
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
        case id, time, tool, sats, outcome, scheme
        case tokenID = "token_id"
        case upstreamStatus = "upstream_status"
        case latencyMs = "latency_ms"
        case mcpTool = "mcp_tool"
    }

    /// Every key is present; an absent token id (free call), status (unreachable upstream), MCP tool or scheme is null.
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
        try container.encode(scheme, forKey: .scheme)
    }
}

/// `GET /_l402/admin/usage`: calls and sats per tool per UTC day, per tool, and overall.
public struct AdminUsageReport: Codable, Sendable {
    /// Ordered by day, then tool.
    public var days: [AdminUsage]
    /// One row per tool, sorted by slug.
    public var tools: [AdminUsage]
    /// Every call of the report.
    public var total: AdminUsage

    /// The report summed from the ledger's daily rows.
    public init(_ daily: [DailyUsage]) {
        days = daily.map { AdminUsage(tool: $0.tool, day: $0.day, $0.totals) }
        var perTool: [String: UsageTotals] = [:], total = UsageTotals()
        for day in daily {
            perTool[day.tool, default: UsageTotals()].add(day.totals)
            total.add(day.totals)
        }
        tools = perTool.sorted { $0.key < $1.key }.map { AdminUsage(tool: $0.key, $0.value) }
        self.total = AdminUsage(tool: nil, total)
    }
}

/// Calls and sats over some days (one day when `day` is set) of one tool (all tools when `tool` is nil).
public struct AdminUsage: Codable, Sendable, Equatable {
    /// The tool's slug; nil for all tools.
    public var tool: String?
    /// UTC `YYYY-MM-DD`.
    public var day: String?
    /// Metered calls, paid and free.
    public var calls: Int
    /// Calls paid for, with either scheme.
    public var paidCalls: Int
    /// Calls served free (the daily free allowance).
    public var freeCalls: Int
    /// Sats earned, with either scheme.
    public var sats: UInt64
    /// Paid calls and sats per payment scheme, keyed `l402` and `payment` (both always present).
    public var schemes: [String: AdminSchemeUsage]

    /// `totals` of `tool` (all tools when nil) on `day` (all days when nil).
    public init(tool: String?, day: String? = nil, _ totals: UsageTotals = UsageTotals()) {
        self.tool = tool
        self.day = day
        calls = totals.calls
        paidCalls = totals.paidCalls
        freeCalls = totals.freeCalls
        sats = totals.sats
        schemes = [
            Invocation.Scheme.l402: AdminSchemeUsage(totals.l402), Invocation.Scheme.payment: AdminSchemeUsage(totals.payment),
        ]
    }

    enum CodingKeys: String, CodingKey {
        case tool, day, calls, sats, schemes
        case paidCalls = "paid_calls"
        case freeCalls = "free_calls"
    }
}

/// The paid calls of one payment scheme and the sats they earned, as the admin API shows them.
public struct AdminSchemeUsage: Codable, Sendable, Equatable {
    /// Calls paid for with this scheme.
    public var paidCalls: Int
    /// Sats those calls earned.
    public var sats: UInt64

    /// The admin API's view of `usage`.
    public init(_ usage: SchemeUsage) {
        paidCalls = usage.paidCalls
        sats = usage.sats
    }

    enum CodingKeys: String, CodingKey {
        case sats
        case paidCalls = "paid_calls"
    }
}
