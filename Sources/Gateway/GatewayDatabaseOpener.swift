import Foundation
import L402
import Lightning
import Logging
import Storage

/// The database the configuration chooses — SQLite (default) or PostgreSQL — opened and migrated.
struct OpenedDatabase: Sendable {
    let store: any GatewayDatabase
    /// For the startup log; never includes a password.
    let description: String
    /// Closes the PostgreSQL pool; nothing to do for SQLite.
    let close: @Sendable () async -> Void

    static func open(_ configuration: GatewayConfiguration, logger: Logger) async throws -> OpenedDatabase {
        if let settings = configuration.postgres {
            let store = PostgresStore(settings: settings, logger: logger)
            do {
                try await store.checkConnection()
                try await store.migrate()
            } catch {
                await store.shutdown()
                throw error
            }
            return OpenedDatabase(store: store, description: "PostgreSQL \(settings)", close: { await store.shutdown() })
        }
        let path = configuration.resolvedDatabasePath
        try DataDirectory.createIfMissing(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        return OpenedDatabase(store: try SQLiteStore(path: path), description: "SQLite \(path)", close: {})
    }
}
