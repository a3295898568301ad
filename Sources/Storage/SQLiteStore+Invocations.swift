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

    /// Per scheme: `scheme IS ?` is 0 or 1 even for NULL schemes, so the sums are never NULL.
    public func dailyUsage(tool: String?, since: Date?, until: Date?) async throws -> [DailyUsage] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT date(time, 'unixepoch') AS day, tool, COUNT(*) AS calls,
                        SUM(outcome = ?4) AS paid_calls, SUM(outcome = ?5) AS free_calls, SUM(sats) AS sats,
                        SUM(outcome = ?4 AND scheme IS ?6) AS l402_calls, SUM(sats * (scheme IS ?6)) AS l402_sats,
                        SUM(outcome = ?4 AND scheme IS ?7) AS payment_calls, SUM(sats * (scheme IS ?7)) AS payment_sats
                    FROM invocations WHERE \(Self.filter)
                    GROUP BY day, tool ORDER BY day, tool
                    """,
                arguments: [
                    tool, since?.timeIntervalSince1970, until?.timeIntervalSince1970, Invocation.Outcome.paid,
                    Invocation.Outcome.free, Invocation.Scheme.l402, Invocation.Scheme.payment,
                ])
            return try rows.map { row in
                DailyUsage(
                    day: row["day"], tool: row["tool"], calls: row["calls"], paidCalls: row["paid_calls"],
                    freeCalls: row["free_calls"], sats: try Self.sats(row["sats"]),
                    l402: SchemeUsage(paidCalls: row["l402_calls"], sats: try Self.sats(row["l402_sats"])),
                    payment: SchemeUsage(paidCalls: row["payment_calls"], sats: try Self.sats(row["payment_sats"])))
            }
        }
    }

    public func mcpToolUsage(since: Date?, until: Date?) async throws -> [MCPToolUsage] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT tool, mcp_tool, COUNT(*) AS calls, SUM(outcome = ?4) AS paid_calls, SUM(sats) AS sats
                    FROM invocations WHERE mcp_tool IS NOT NULL AND \(Self.filter)
                    GROUP BY tool, mcp_tool ORDER BY tool, mcp_tool
                    """,
                arguments: [nil as String?, since?.timeIntervalSince1970, until?.timeIntervalSince1970, Invocation.Outcome.paid])
            return try rows.map { row in
                MCPToolUsage(
                    tool: row["tool"], mcpTool: row["mcp_tool"], calls: row["calls"], paidCalls: row["paid_calls"],
                    sats: try Self.sats(row["sats"]))
            }
        }
    }

    private static func sats(_ value: Int64) throws -> UInt64 {
        guard let sats = UInt64(exactly: value) else { throw StorageError.corruptRow("negative sats") }
        return sats
    }

    /// Optional tool (?1), inclusive lower (?2) and exclusive upper (?3) time bounds.
    private static let filter = "(?1 IS NULL OR tool = ?1) AND (?2 IS NULL OR time >= ?2) AND (?3 IS NULL OR time < ?3)"
}
