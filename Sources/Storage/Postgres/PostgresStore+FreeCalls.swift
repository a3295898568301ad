import L402
import PostgresNIO

extension PostgresStore: FreeCallStore {
    /// One UPSERT whose UPDATE branch only runs while `used < limit`, as for paid calls.
    public func takeFreeCall(tool: String, client: String, day: String, limit: Int) async throws -> Bool {
        guard limit > 0 else { return false }
        let limit = Int64(limit)
        return try await perform(.once) { connection in
            try await connection.query(
                """
                INSERT INTO free_calls AS free (day, tool, client, used) VALUES (\(day), \(tool), \(client), 1)
                ON CONFLICT (day, tool, client) DO UPDATE SET used = free.used + 1 WHERE free.used < \(limit)
                RETURNING 1
                """, logger: self.logger
            ).hasRows()
        }
    }

    public func returnFreeCall(tool: String, client: String, day: String) async throws {
        try await perform(.once) { connection in
            try await connection.query(
                """
                UPDATE free_calls SET used = used - 1
                WHERE day = \(day) AND tool = \(tool) AND client = \(client) AND used > 0
                """, logger: self.logger
            ).drain()
        }
    }

    /// Days compare as byte strings (`COLLATE "C"`), like SQLite.
    public func deleteFreeCalls(before day: String) async throws -> Int {
        try await perform(.idempotent) { connection in
            try await connection.query(
                """
                WITH gone AS (DELETE FROM free_calls WHERE day COLLATE "C" < \(day) RETURNING 1) SELECT count(*) FROM gone
                """, logger: self.logger
            ).single(Int.self)
        }
    }
}
