import Foundation
import L402
import Logging
import Storage

/// The database a paywall keeps its state in, opened and migrated: SQLite (the default, one
/// process) or PostgreSQL (several gateways or app instances sharing one database), or any store
/// of your own that implements `PaywallStore`.
public struct PaywallDatabase: Sendable {
    /// Root keys, call counters, the ledger, free calls, the tool registry and the dev node's invoices.
    public let store: any PaywallStore
    /// For a startup log line; never includes a password.
    public let description: String
    private let closer: @Sendable () async -> Void

    /// A store of your own; `close` runs when the paywall's owner calls `close()`.
    public init(store: any PaywallStore, description: String, close: @escaping @Sendable () async -> Void = {}) {
        self.store = store
        self.description = description
        self.closer = close
    }

    /// A SQLite file at `path` (created 0600, with its directory 0700 if missing), migrated to the current schema.
    public static func sqlite(path: String) throws -> PaywallDatabase {
        try DataDirectory.createIfMissing(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        return PaywallDatabase(store: try SQLiteStore(path: path), description: "SQLite \(path)")
    }

    /// A PostgreSQL database at `url` (`postgres://user:password@host:port/database?sslmode=…&schema=…`):
    /// the connection is checked and the schema migrated before this returns.
    public static func postgres(url: String, logger: Logger = Logger(label: "l402.postgres")) async throws -> PaywallDatabase {
        try await postgres(settings: PostgresSettings(url: url), logger: logger)
    }

    package static func postgres(settings: PostgresSettings, logger: Logger) async throws -> PaywallDatabase {
        let store = PostgresStore(settings: settings, logger: logger)
        do {
            try await store.checkConnection()
            try await store.migrate()
        } catch {
            await store.shutdown()
            throw error
        }
        return PaywallDatabase(store: store, description: "PostgreSQL \(settings)", close: { await store.shutdown() })
    }

    /// Closes the PostgreSQL pool; nothing to do for SQLite.
    public func close() async {
        await closer()
    }
}
