import Foundation
import GRDB

extension SQLiteStore: InvocationLedger {
    public func record(_ invocation: Invocation) async throws {
        let sats = try invocation.sats.databaseInteger("sats")
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO invocations (time, tool, token_id, sats, upstream_status, latency_ms, outcome)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    invocation.time.timeIntervalSince1970, invocation.tool, invocation.tokenID, sats, invocation.upstreamStatus,
                    invocation.latencyMs, invocation.outcome,
                ])
        }
    }

    public func invocations(tool: String?, since: Date?, limit: Int, offset: Int) async throws -> [Invocation] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, time, tool, token_id, sats, upstream_status, latency_ms, outcome FROM invocations
                    WHERE (?1 IS NULL OR tool = ?1) AND (?2 IS NULL OR time >= ?2)
                    ORDER BY time DESC, id DESC LIMIT ?3 OFFSET ?4
                    """,
                arguments: [tool, since?.timeIntervalSince1970, max(0, limit), max(0, offset)])
            return try rows.map { row in
                guard let sats = UInt64(exactly: row["sats"] as Int64) else { throw StorageError.corruptRow("negative sats") }
                return Invocation(
                    id: row["id"], time: Date(timeIntervalSince1970: row["time"]), tool: row["tool"], tokenID: row["token_id"],
                    sats: sats, upstreamStatus: row["upstream_status"], latencyMs: row["latency_ms"], outcome: row["outcome"])
            }
        }
    }
}
