import L402
import Foundation
import GRDB

/// Every store the gateway needs, in one SQLite database file (WAL mode, via GRDB's `DatabasePool`):
/// root keys (`SecretStore`), call counters (`TokenUsageStore`), the `InvocationLedger`, and the
/// dev node's invoices (`DevInvoiceStore`). Readers never block the writer; writes are serialized,
/// and each atomic operation is a single SQL statement.
///
/// Dates are stored as REAL unix seconds, byte strings as BLOBs, the ledger's token ids as hex.
public final class SQLiteStore: Sendable {
    let pool: DatabasePool
    /// The paid path's writes (reserving a call, committing it): concurrent calls share a transaction.
    let groupCommit: SQLiteGroupCommit

    /// The database file's path.
    public let path: String

    /// Opens (creating if needed, owner-only) the database at `path` and migrates it to the current schema.
    public init(path: String) throws {
        var configuration = Configuration()
        // Several processes may share the file (e.g. CLI and gateway): wait for locks instead of failing.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // Durable at every checkpoint and much faster than FULL in WAL mode.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        self.path = path
        try PrivateDatabaseFiles.prepare(path)
        pool = try DatabasePool(path: path, configuration: configuration)
        try SQLiteSchema.migrator.migrate(pool)
        groupCommit = SQLiteGroupCommit(pool)
    }

    /// The applied migrations, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await pool.read { db in try SQLiteSchema.migrator.appliedMigrations(db) }
    }

    /// The SQLite journal mode in use (`wal`).
    public func journalMode() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
