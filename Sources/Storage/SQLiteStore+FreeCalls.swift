import L402
import GRDB

extension SQLiteStore: FreeCallStore {
    /// One UPSERT whose UPDATE branch only runs while `used < limit`, as for paid calls.
    public func takeFreeCall(tool: String, client: String, day: String, limit: Int) async throws -> Bool {
        guard limit > 0 else { return false }
        return try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO free_calls (day, tool, client, used) VALUES (?1, ?2, ?3, 1)
                    ON CONFLICT (day, tool, client) DO UPDATE SET used = used + 1 WHERE used < ?4
                    """,
                arguments: [day, tool, client, Int64(limit)])
            return db.changesCount == 1
        }
    }

    public func returnFreeCall(tool: String, client: String, day: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE free_calls SET used = used - 1 WHERE day = ? AND tool = ? AND client = ? AND used > 0",
                arguments: [day, tool, client])
        }
    }

    public func deleteFreeCalls(before day: String) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM free_calls WHERE day < ?", arguments: [day])
            return db.changesCount
        }
    }
}
