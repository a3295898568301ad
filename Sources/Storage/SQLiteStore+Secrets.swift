import Foundation
import GRDB
import L402

extension SQLiteStore: SecretStore {
    public func storeRootKey(
        _ key: [UInt8], for token: TokenID, purchase: Purchase, unpaidExpiresAt: Date, paidExpiresAt: Date?
    ) async throws {
        let price = try purchase.amountSats.databaseInteger("purchase amount")
        do {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO root_keys
                            (token_id, root_key, created_at, unpaid_expires_at, paid_expires_at,
                             purchase_tool, purchase_sats, purchase_calls)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        Data(token.bytes), Data(key), Date().timeIntervalSince1970, unpaidExpiresAt.timeIntervalSince1970,
                        paidExpiresAt?.timeIntervalSince1970, purchase.tool, price, Int64(purchase.calls),
                    ])
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw DuplicateTokenID(tokenID: token)
        }
    }

    public func secret(for token: TokenID) async throws -> StoredSecret? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(
                db,
                sql: "SELECT root_key, paid_at, purchase_tool, purchase_sats, purchase_calls FROM root_keys WHERE token_id = ?",
                arguments: [Data(token.bytes)])
            else { return nil }
            guard let key = row["root_key"] as Data? else { throw StorageError.corruptRow("root key is NULL") }
            return StoredSecret(
                rootKey: [UInt8](key), isPaid: !row.hasNull(atIndex: 1),
                purchase: try Purchase(stored: row["purchase_tool"], sats: row["purchase_sats"], calls: row["purchase_calls"]))
        }
    }

    public func markPaid(_ token: TokenID) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE root_keys SET paid_at = ? WHERE token_id = ? AND paid_at IS NULL",
                arguments: [Date().timeIntervalSince1970, Data(token.bytes)])
        }
    }

    /// Also drops the token's call counter and leases (same transaction): without its key it can never be used again.
    public func deleteRootKey(for token: TokenID) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM call_leases WHERE token_id = ?", arguments: [Data(token.bytes)])
            try db.execute(sql: "DELETE FROM token_usage WHERE token_id = ?", arguments: [Data(token.bytes)])
            try db.execute(sql: "DELETE FROM root_keys WHERE token_id = ?", arguments: [Data(token.bytes)])
            return db.changesCount == 1
        }
    }

    /// Also drops the call counters and leases of the collected tokens (same transaction), so paid
    /// tokens leave no row behind once they expire.
    public func deleteExpiredSecrets(before date: Date) async throws -> Int {
        let expired = "(paid_at IS NULL AND unpaid_expires_at < ?1) OR paid_expires_at < ?1"
        return try await pool.write { db in
            let arguments: StatementArguments = [date.timeIntervalSince1970]
            for table in ["call_leases", "token_usage"] {
                try db.execute(
                    sql: "DELETE FROM \(table) WHERE token_id IN (SELECT token_id FROM root_keys WHERE \(expired))",
                    arguments: arguments)
            }
            try db.execute(sql: "DELETE FROM root_keys WHERE \(expired)", arguments: arguments)
            return db.changesCount
        }
    }
}
