import Foundation
import L402
import PostgresNIO

extension PostgresStore: ServerSecretStore {
    /// Two statements, deliberately not one: a racing insert of the same name waits for the first to
    /// commit and then does nothing, and the SELECT that follows (a new snapshot) sees the winner's row.
    /// A single statement's snapshot would not. Both are safe to repeat, so the pair is too.
    public func serverSecret(named name: String, candidate: [UInt8]) async throws -> [UInt8] {
        try await perform(.idempotent) { connection in
            try await connection.query(
                "INSERT INTO server_secrets (name, value) VALUES (\(name), \(Data(candidate))) ON CONFLICT (name) DO NOTHING",
                logger: self.logger
            ).drain()
            guard let stored = try await connection.query(
                "SELECT value FROM server_secrets WHERE name = \(name)", logger: self.logger
            ).firstValue(Data.self)
            else { throw StorageError.corruptRow("server secret \(name) missing after insert") }
            return [UInt8](stored)
        }
    }
}
