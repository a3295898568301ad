import Foundation
import L402
import PostgresNIO

extension PostgresStore: SecretStore {
    /// `ON CONFLICT DO NOTHING` reports a duplicate as "no row inserted" instead of an error.
    public func storeRootKey(
        _ key: [UInt8], for token: TokenID, purchase: Purchase, unpaidExpiresAt: Date, paidExpiresAt: Date?
    ) async throws {
        let created = Date().timeIntervalSince1970, unpaid = unpaidExpiresAt.timeIntervalSince1970
        let paid = paidExpiresAt?.timeIntervalSince1970
        let price = try purchase.amountSats.databaseInteger("purchase amount"), calls = Int64(purchase.calls)
        let inserted = try await perform(.once) { connection in
            try await connection.query(
                """
                INSERT INTO root_keys
                    (token_id, root_key, created_at, unpaid_expires_at, paid_expires_at, purchase_tool, purchase_sats, purchase_calls)
                VALUES (\(Data(token.bytes)), \(Data(key)), \(created), \(unpaid), \(paid), \(purchase.tool), \(price), \(calls))
                ON CONFLICT (token_id) DO NOTHING RETURNING 1
                """, logger: self.logger
            ).hasRows()
        }
        guard inserted else { throw DuplicateTokenID(tokenID: token) }
    }

    public func secret(for token: TokenID) async throws -> StoredSecret? {
        try await perform(.idempotent) { connection in
            let rows = try await connection.query(
                """
                SELECT root_key, paid_at, purchase_tool, purchase_sats, purchase_calls FROM root_keys
                WHERE token_id = \(Data(token.bytes))
                """, logger: self.logger)
            for try await (key, paidAt, tool, sats, calls) in rows.decode((Data, Double?, String?, Int64?, Int64?).self) {
                return StoredSecret(
                    rootKey: [UInt8](key), isPaid: paidAt != nil, purchase: try Purchase(stored: tool, sats: sats, calls: calls))
            }
            return nil
        }
    }

    public func markPaid(_ token: TokenID) async throws {
        let now = Date().timeIntervalSince1970
        try await perform(.idempotent) { connection in
            try await connection.query(
                "UPDATE root_keys SET paid_at = \(now) WHERE token_id = \(Data(token.bytes)) AND paid_at IS NULL", logger: self.logger
            ).drain()
        }
    }

    /// One statement deletes the key, the token's call counter and its leases: without its key it can
    /// never be used again.
    public func deleteRootKey(for token: TokenID) async throws -> Bool {
        try await perform(.once) { connection in
            try await connection.query(
                """
                WITH counter AS (DELETE FROM token_usage WHERE token_id = \(Data(token.bytes))),
                leases AS (DELETE FROM call_leases WHERE token_id = \(Data(token.bytes)))
                DELETE FROM root_keys WHERE token_id = \(Data(token.bytes)) RETURNING 1
                """, logger: self.logger
            ).hasRows()
        }
    }

    /// One statement deletes the expired keys, their call counters and leases, so paid tokens leave no row behind.
    public func deleteExpiredSecrets(before date: Date) async throws -> Int {
        let cutoff = date.timeIntervalSince1970
        return try await perform(.idempotent) { connection in
            try await connection.query(
                """
                WITH expired AS (
                    DELETE FROM root_keys
                    WHERE (paid_at IS NULL AND unpaid_expires_at < \(cutoff)) OR paid_expires_at < \(cutoff)
                    RETURNING token_id),
                counters AS (DELETE FROM token_usage WHERE token_id IN (SELECT token_id FROM expired)),
                leases AS (DELETE FROM call_leases WHERE token_id IN (SELECT token_id FROM expired))
                SELECT count(*) FROM expired
                """, logger: self.logger
            ).single(Int.self)
        }
    }
}
