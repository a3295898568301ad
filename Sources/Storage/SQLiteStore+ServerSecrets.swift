import Foundation
import GRDB
import L402

extension SQLiteStore: ServerSecretStore {
    /// One write transaction (SQLite serializes writers, across processes too): the candidate is
    /// inserted only when the name is free, then the stored value is read back.
    public func serverSecret(named name: String, candidate: [UInt8]) async throws -> [UInt8] {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                arguments: [name, Data(candidate)])
            guard let stored = try Data.fetchOne(db, sql: "SELECT value FROM server_secrets WHERE name = ?", arguments: [name])
            else { throw StorageError.corruptRow("server secret \(name) missing after insert") }
            return [UInt8](stored)
        }
    }
}
