import L402
import Foundation
import GRDB

extension SQLiteStore: InvocationLedger {
    /// A second record of the same invocation (same `key`) changes nothing.
    public func record(_ invocation: Invocation) async throws {
        try await pool.write { db in try Self.insert(invocation, db) }
    }

    /// Inserts `invocation` unless a row with its key exists.
    static func insert(_ invocation: Invocation, _ db: Database) throws {
        let sats = try invocation.sats.databaseInteger("sats")
        // Runs on every metered call: parsed once per connection (a cached statement).
        try db.cachedStatement(
            sql: """
                INSERT INTO invocations (time, tool, token_id, sats, upstream_status, latency_ms, outcome, call_key, mcp_tool, scheme)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (call_key) DO NOTHING
                """
        ).execute(
            arguments: [
                invocation.time.timeIntervalSince1970, invocation.tool, invocation.tokenID, sats, invocation.upstreamStatus,
                invocation.latencyMs, invocation.outcome, invocation.key.uuidString, invocation.mcpTool,
                invocation.scheme,
            ])
    }

    public func invocations(tool: String?, since: Date?, until: Date?, limit: Int, offset: Int) async throws -> [Invocation] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, time, tool, token_id, sats, upstream_status, latency_ms, outcome, call_key, mcp_tool, scheme FROM invocations
                    WHERE \(Self.filter)
                    ORDER BY time DESC, id DESC LIMIT ?4 OFFSET ?5
                    """,
                arguments: [tool, since?.timeIntervalSince1970, until?.timeIntervalSince1970, max(0, limit), max(0, offset)])
            return try rows.map { row in
                let sats = try Self.sats(row["sats"])
                let id: Int64 = row["id"]
                let key = (row["call_key"] as String?).flatMap(UUID.init(uuidString:)) ?? Invocation.legacyKey(id: id)
                return Invocation(
                    id: id, time: Date(timeIntervalSince1970: row["time"]), tool: row["tool"], tokenID: row["token_id"],
                    sats: sats, upstreamStatus: row["upstream_status"], latencyMs: row["latency_ms"], outcome: row["outcome"],
                    key: key, mcpTool: row["mcp_tool"], scheme: row["scheme"])
            }
        }
    }

    /// Whole days from the rollup, the partial days at either end from the ledger (`UsagePart`), in
    /// one read transaction.
    public func dailyUsage(tool: String?, since: Date?, until: Date?) async throws -> [DailyUsage] {
        try await pool.read { db in
            try UsagePart.covering(since: since, until: until).flatMap { part in
                try Row.fetchAll(db, sql: Self.dailyUsageSQL(part), arguments: Self.arguments(part, tool: tool)).map { row in
                    DailyUsage(
                        day: row["day"], tool: row["tool"], calls: row["calls"], paidCalls: row["paid_calls"],
                        freeCalls: row["free_calls"], sats: try Self.sats(row["sats"]),
                        l402: SchemeUsage(paidCalls: row["l402_calls"], sats: try Self.sats(row["l402_sats"])),
                        payment: SchemeUsage(paidCalls: row["payment_calls"], sats: try Self.sats(row["payment_sats"])))
                }
            }
        }
    }

    public func mcpToolUsage(since: Date?, until: Date?) async throws -> [MCPToolUsage] {
        try await pool.read { db in
            let parts = UsagePart.covering(since: since, until: until)
            let usage = try parts.flatMap { part in
                try Row.fetchAll(db, sql: Self.mcpToolUsageSQL(part), arguments: Self.arguments(part, tool: nil)).map { row in
                    MCPToolUsage(
                        tool: row["tool"], mcpTool: row["mcp_tool"], calls: row["calls"], paidCalls: row["paid_calls"],
                        sats: try Self.sats(row["sats"]))
                }
            }
            return parts.count > 1 ? usage.summedPerTool() : usage
        }
    }

    /// Per tool and day. From the ledger per scheme, `scheme IS ?` is 0 or 1 even for NULL schemes, so
    /// the sums are never NULL.
    private static func dailyUsageSQL(_ part: UsagePart) -> String {
        switch part {
        case .ledger:
            """
            SELECT date(time, 'unixepoch') AS day, tool, COUNT(*) AS calls,
                SUM(outcome = 'paid') AS paid_calls, SUM(outcome = 'free') AS free_calls, SUM(sats) AS sats,
                SUM(outcome = 'paid' AND scheme IS 'l402') AS l402_calls, SUM(sats * (scheme IS 'l402')) AS l402_sats,
                SUM(outcome = 'paid' AND scheme IS 'payment') AS payment_calls, SUM(sats * (scheme IS 'payment')) AS payment_sats
            FROM invocations WHERE \(partFilter)
            GROUP BY day, tool ORDER BY day, tool
            """
        case .rollup:
            "SELECT day, tool, \(UsageRollup.sums()) FROM usage_daily WHERE \(rollupFilter) GROUP BY day, tool ORDER BY day, tool"
        }
    }

    /// Per tool and MCP tool, rows with an MCP tool only.
    private static func mcpToolUsageSQL(_ part: UsagePart) -> String {
        switch part {
        case .ledger:
            """
            SELECT tool, mcp_tool, COUNT(*) AS calls, SUM(outcome = 'paid') AS paid_calls, SUM(sats) AS sats
            FROM invocations WHERE mcp_tool IS NOT NULL AND \(partFilter)
            GROUP BY tool, mcp_tool ORDER BY tool, mcp_tool
            """
        case .rollup:
            """
            SELECT tool, mcp_tool, SUM(calls) AS calls, SUM(paid_calls) AS paid_calls, SUM(sats) AS sats
            FROM usage_daily WHERE mcp = 1 AND \(rollupFilter)
            GROUP BY tool, mcp_tool ORDER BY tool, mcp_tool
            """
        }
    }

    /// The `partFilter` (ledger) or `rollupFilter` arguments of `part`.
    private static func arguments(_ part: UsagePart, tool: String?) -> StatementArguments {
        switch part {
        case .ledger(let since, let until): [tool, since.timeIntervalSince1970, until.timeIntervalSince1970]
        case .rollup(let firstDay, let endDay): [tool, firstDay, endDay]
        }
    }

    /// A ledger part: optional tool (?1), inclusive lower (?2) and exclusive upper (?3) time bounds, both
    /// given, so the `invocations_time` index bounds the scan (`?2 IS NULL OR …` would scan every row).
    private static let partFilter = "(?1 IS NULL OR tool = ?1) AND time >= ?2 AND time < ?3"

    /// Optional tool (?1), first (?2, inclusive) and end (?3, exclusive) day.
    private static let rollupFilter = "(?1 IS NULL OR tool = ?1) AND (?2 IS NULL OR day >= ?2) AND (?3 IS NULL OR day < ?3)"

    private static func sats(_ value: Int64) throws -> UInt64 {
        guard let sats = UInt64(exactly: value) else { throw StorageError.corruptRow("negative sats") }
        return sats
    }

    /// Optional tool (?1), inclusive lower (?2) and exclusive upper (?3) time bounds.
    private static let filter = "(?1 IS NULL OR tool = ?1) AND (?2 IS NULL OR time >= ?2) AND (?3 IS NULL OR time < ?3)"
}
