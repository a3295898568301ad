import Foundation
import L402
import PostgresNIO

extension PostgresStore: TokenUsageStore {
    /// One UPSERT whose UPDATE branch only runs while `used < limit`; a row comes back exactly when a
    /// call was taken. The row lock taken by the conflict makes concurrent callers queue, so no
    /// read-then-write window exists, across any number of gateways. Both branches require the token's
    /// root key, so a revoked token cannot start or continue a count.
    public func reserveCall(for token: TokenID, limit: Int) async throws -> Int? {
        guard limit > 0 else { return nil }
        let id = Data(token.bytes), limit = Int64(limit)
        return try await perform(.once) { connection in
            try await connection.query(
                """
                INSERT INTO token_usage AS usage (token_id, used)
                SELECT \(id), 1 WHERE EXISTS (SELECT 1 FROM root_keys WHERE token_id = \(id))
                ON CONFLICT (token_id) DO UPDATE SET used = usage.used + 1
                WHERE usage.used < \(limit) AND EXISTS (SELECT 1 FROM root_keys WHERE token_id = \(id))
                RETURNING usage.used
                """, logger: self.logger
            ).firstValue(Int.self)
        }
    }

    public func releaseCall(for token: TokenID) async throws {
        let id = Data(token.bytes)
        try await perform(.once) { connection in
            try await connection.query(
                "UPDATE token_usage SET used = used - 1 WHERE token_id = \(id) AND used > 0", logger: self.logger
            ).drain()
        }
    }

    public func callsUsed(for token: TokenID) async throws -> Int {
        let id = Data(token.bytes)
        return try await perform(.idempotent) { connection in
            try await connection.query(
                "SELECT COALESCE((SELECT used FROM token_usage WHERE token_id = \(id)), 0)", logger: self.logger
            ).single(Int.self)
        }
    }
}
