import L402
import Foundation
import PostgresNIO

extension PostgresStore: InvocationLedger {
    /// Repeated until the deadline even when a try's outcome is unknown: every try (and any later
    /// record of the same invocation) carries its `key`, so a row the database did write is never
    /// written twice.
    public func record(_ invocation: Invocation) async throws {
        _ = try invocation.sats.databaseInteger("sats")
        try await perform(.idempotent) { connection in
            _ = try await self.insert(invocation, connection)
        }
    }

    /// Inserts `invocation` unless a row with its key exists; true when it did.
    func insert(_ invocation: Invocation, _ connection: PostgresConnection) async throws -> Bool {
        let sats = try invocation.sats.databaseInteger("sats")
        let written = try await connection.firstRow(InsertInvocationStatement(invocation: invocation, sats: sats), logger: logger)
        return written != nil
    }

    public func invocations(tool: String?, since: Date?, until: Date?, limit: Int, offset: Int) async throws -> [Invocation] {
        let (limit, offset) = (max(0, limit), max(0, offset))
        return try await perform(.idempotent) { connection in
            let rows = try await connection.query(
                """
                SELECT id, time, tool, token_id, sats, upstream_status, latency_ms, outcome, request_key, mcp_tool, scheme FROM invocations
                WHERE \(filterTool: tool, since: since, until: until)
                ORDER BY time DESC, id DESC LIMIT \(limit) OFFSET \(offset)
                """, logger: self.logger)
            var invocations: [Invocation] = []
            for try await (id, time, tool, tokenID, sats, status, latency, outcome, key, mcpTool, scheme) in rows.decode(
                (Int64, Double, String, String?, Int64, Int?, Double, String, UUID?, String?, String?).self)
            {
                invocations.append(Invocation(
                    id: id, time: Date(timeIntervalSince1970: time), tool: tool, tokenID: tokenID, sats: try Self.sats(sats),
                    upstreamStatus: status, latencyMs: latency, outcome: outcome, key: key ?? Invocation.legacyKey(id: id),
                    mcpTool: mcpTool, scheme: scheme))
            }
            return invocations
        }
    }

    /// Whole days from the rollup (its shards summed), the partial days at either end from the ledger
    /// (`UsagePart`). Days are UTC, and tools sort by byte value (`COLLATE "C"`), as in SQLite.
    public func dailyUsage(tool: String?, since: Date?, until: Date?) async throws -> [DailyUsage] {
        try await perform(.idempotent) { connection in
            var usage: [DailyUsage] = []
            for part in UsagePart.covering(since: since, until: until) {
                let rows = try await connection.query(Self.dailyUsageQuery(part, tool: tool), logger: self.logger)
                for try await (day, tool, calls, paidCalls, freeCalls, sats, l402Calls, l402Sats, paymentCalls, paymentSats) in rows.decode(
                    (String, String, Int, Int, Int, Int64, Int, Int64, Int, Int64).self)
                {
                    usage.append(DailyUsage(
                        day: day, tool: tool, calls: calls, paidCalls: paidCalls, freeCalls: freeCalls, sats: try Self.sats(sats),
                        l402: SchemeUsage(paidCalls: l402Calls, sats: try Self.sats(l402Sats)),
                        payment: SchemeUsage(paidCalls: paymentCalls, sats: try Self.sats(paymentSats))))
                }
            }
            return usage
        }
    }

    /// Tools and MCP tools sort by byte value (`COLLATE "C"`), as in SQLite.
    public func mcpToolUsage(since: Date?, until: Date?) async throws -> [MCPToolUsage] {
        try await perform(.idempotent) { connection in
            let parts = UsagePart.covering(since: since, until: until)
            var usage: [MCPToolUsage] = []
            for part in parts {
                let rows = try await connection.query(Self.mcpToolUsageQuery(part), logger: self.logger)
                for try await (tool, mcpTool, calls, paid, sats) in rows.decode((String, String, Int, Int, Int64).self) {
                    usage.append(MCPToolUsage(tool: tool, mcpTool: mcpTool, calls: calls, paidCalls: paid, sats: try Self.sats(sats)))
                }
            }
            return parts.count > 1 ? usage.summedPerTool() : usage
        }
    }

    private static func dailyUsageQuery(_ part: UsagePart, tool: String?) -> PostgresQuery {
        let (paid, l402, payment) = (Invocation.Outcome.paid, Invocation.Scheme.l402, Invocation.Scheme.payment)
        switch part {
        case .ledger(let since, let until):
            return """
                SELECT to_char(to_timestamp(time) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, tool, count(*),
                    count(*) FILTER (WHERE outcome = \(paid)),
                    count(*) FILTER (WHERE outcome = \(Invocation.Outcome.free)), sum(sats)::bigint,
                    count(*) FILTER (WHERE outcome = \(paid) AND scheme = \(l402)),
                    coalesce(sum(sats) FILTER (WHERE scheme = \(l402)), 0)::bigint,
                    count(*) FILTER (WHERE outcome = \(paid) AND scheme = \(payment)),
                    coalesce(sum(sats) FILTER (WHERE scheme = \(payment)), 0)::bigint
                FROM invocations WHERE \(filterTool: tool, from: since, to: until)
                GROUP BY day, tool ORDER BY day, tool COLLATE "C"
                """
        case .rollup(let firstDay, let endDay):
            return """
                SELECT day, tool, \(unescaped: UsageRollup.sums(cast: "::bigint"))
                FROM usage_daily WHERE \(filterTool: tool, firstDay: firstDay, endDay: endDay)
                GROUP BY day, tool ORDER BY day, tool COLLATE "C"
                """
        }
    }

    private static func mcpToolUsageQuery(_ part: UsagePart) -> PostgresQuery {
        switch part {
        case .ledger(let since, let until):
            """
            SELECT tool, mcp_tool, count(*), count(*) FILTER (WHERE outcome = \(Invocation.Outcome.paid)), sum(sats)::bigint
            FROM invocations WHERE mcp_tool IS NOT NULL AND \(filterTool: nil, from: since, to: until)
            GROUP BY tool, mcp_tool ORDER BY tool COLLATE "C", mcp_tool COLLATE "C"
            """
        case .rollup(let firstDay, let endDay):
            """
            SELECT tool, mcp_tool, sum(calls)::bigint, sum(paid_calls)::bigint, sum(sats)::bigint
            FROM usage_daily WHERE mcp = 1 AND \(filterTool: nil, firstDay: firstDay, endDay: endDay)
            GROUP BY tool, mcp_tool ORDER BY tool COLLATE "C", mcp_tool COLLATE "C"
            """
        }
    }

    private static func sats(_ value: Int64) throws -> UInt64 {
        guard let sats = UInt64(exactly: value) else { throw StorageError.corruptRow("negative sats") }
        return sats
    }
}

extension PostgresQuery.StringInterpolation {
    /// The ledger's filter: optional tool, inclusive lower and exclusive upper time bounds (all bound, never spliced).
    fileprivate mutating func appendInterpolation(filterTool tool: String?, since: Date?, until: Date?) {
        let (since, until) = (since?.timeIntervalSince1970, until?.timeIntervalSince1970)
        appendLiteral("(")
        appendInterpolation(tool)
        appendLiteral("::text IS NULL OR tool = ")
        appendInterpolation(tool)
        appendLiteral(") AND (")
        appendInterpolation(since)
        appendLiteral("::double precision IS NULL OR time >= ")
        appendInterpolation(since)
        appendLiteral(") AND (")
        appendInterpolation(until)
        appendLiteral("::double precision IS NULL OR time < ")
        appendInterpolation(until)
        appendLiteral(")")
    }

    /// A ledger part's filter: optional tool, inclusive lower and exclusive upper time bounds, both given,
    /// so the `invocations_time` index bounds the scan.
    fileprivate mutating func appendInterpolation(filterTool tool: String?, from since: Date, to until: Date) {
        appendLiteral("(")
        appendInterpolation(tool)
        appendLiteral("::text IS NULL OR tool = ")
        appendInterpolation(tool)
        appendLiteral(") AND time >= ")
        appendInterpolation(since.timeIntervalSince1970)
        appendLiteral(" AND time < ")
        appendInterpolation(until.timeIntervalSince1970)
    }

    /// The rollup's filter: optional tool, inclusive first and exclusive end day (all bound, never spliced).
    fileprivate mutating func appendInterpolation(filterTool tool: String?, firstDay: String?, endDay: String?) {
        appendLiteral("(")
        appendInterpolation(tool)
        appendLiteral("::text IS NULL OR tool = ")
        appendInterpolation(tool)
        appendLiteral(") AND (")
        appendInterpolation(firstDay)
        appendLiteral("::text IS NULL OR day >= ")
        appendInterpolation(firstDay)
        appendLiteral(") AND (")
        appendInterpolation(endDay)
        appendLiteral("::text IS NULL OR day < ")
        appendInterpolation(endDay)
        appendLiteral(")")
    }
}
