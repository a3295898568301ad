import GRDB
import L402
import Foundation

extension SQLiteStore: TokenUsageStore {
    /// One UPSERT whose UPDATE branch only runs while `used < limit`: it returns a row (the new
    /// count) exactly when a call was taken, with no read-then-write window. Both branches require
    /// the token's root key, so a revoked token cannot start or continue a count.
    public func reserveCall(for token: TokenID, limit: Int) async throws -> Int? {
        guard limit > 0 else { return nil }
        return try await pool.write { db in
            // Runs on every paid call: a cached statement is parsed once per connection, not per call.
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO token_usage (token_id, used)
                    SELECT ?1, 1 WHERE EXISTS (SELECT 1 FROM root_keys WHERE token_id = ?1)
                    ON CONFLICT (token_id) DO UPDATE SET used = used + 1
                    WHERE used < ?2 AND EXISTS (SELECT 1 FROM root_keys WHERE token_id = ?1)
                    RETURNING used
                    """
            )
            return try Int.fetchOne(statement, arguments: [Data(token.bytes), Int64(limit)])
        }
    }

    public func releaseCall(for token: TokenID) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE token_usage SET used = used - 1 WHERE token_id = ? AND used > 0", arguments: [Data(token.bytes)])
        }
    }

    public func callsUsed(for token: TokenID) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT used FROM token_usage WHERE token_id = ?", arguments: [Data(token.bytes)]) ?? 0
        }
    }
}
