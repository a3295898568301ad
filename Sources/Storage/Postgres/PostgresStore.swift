import L402
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// Every store the gateway needs (`PaywallStore`), in one PostgreSQL database shared by any number of
/// gateways: root keys, call counters, the invocation ledger, the dev node's invoices, the tool registry
/// and free-call counters — the same contracts and semantics as `SQLiteStore`.
///
/// Connections come from postgres-nio's `PostgresClient` pool, which the store runs itself from `init`
/// until `shutdown()`. The schema is migrated before the first operation (`migrate()` does it eagerly).
/// Every atomic operation is a single SQL statement. An operation that cannot reach the database
/// within `PostgresSettings.timeout` throws `DatabaseUnavailable`; the pool reconnects on its own once
/// the database is back.
///
/// Dates are stored as `double precision` unix seconds and byte strings as `bytea`, like SQLite's layout.
public final class PostgresStore: Sendable {
    /// Where the store connects; its description hides the password.
    public let settings: PostgresSettings
    let client: PostgresClient
    /// The pool's event loops, which also time each attempt out.
    let eventLoopGroup: any EventLoopGroup = PostgresClient.defaultEventLoopGroup
    let logger: Logger
    private let runner: Task<Void, Never>
    private let migrated = Mutex(false)
    private let isShutDown = Mutex(false)

    /// Starts the connection pool for `settings`. No connection is opened until the first operation.
    public init(settings: PostgresSettings, logger: Logger = Logger(label: "l402.postgres")) {
        self.settings = settings
        self.logger = logger
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: settings.tls.clientTLS)
        configuration.options.maximumConnections = settings.poolSize
        configuration.options.connectTimeout = settings.timeout
        if let schema = settings.schema {
            // Every pooled connection resolves unqualified table names in the configured schema only.
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        var background = logger
        background.logLevel = max(logger.logLevel, .warning)
        let client = PostgresClient(configuration: configuration, eventLoopGroup: eventLoopGroup, backgroundLogger: background)
        self.client = client
        runner = Task { await client.run() }
    }

    /// Closes every connection; operations after this fail as `DatabaseUnavailable`.
    public func shutdown() async {
        isShutDown.withLock { $0 = true }
        runner.cancel()
        await runner.value
    }

    /// Brings the schema up to date now (otherwise the first operation does). Safe to call from
    /// several gateways at once: see `PostgresSchema`.
    public func migrate() async throws {
        try await perform(.idempotent, migrating: false) { connection in
            try await PostgresSchema.migrate(connection, schema: self.settings.schema, logger: self.logger)
        }
        migrated.withLock { $0 = true }
    }

    /// Every migration version this build knows, oldest first; a migrated database has applied exactly these.
    public static var migrationVersions: [Int] { PostgresSchema.migrations.map(\.version) }

    /// The applied migration versions, oldest first.
    public func appliedMigrations() async throws -> [Int] {
        try await perform(.idempotent) { connection in
            try await PostgresSchema.appliedVersions(connection, logger: self.logger)
        }
    }

    /// Whether repeating an operation whose outcome is unknown (the connection broke mid-statement) is harmless.
    enum Repeatability {
        /// Reads, and writes that end in the same state however often they run.
        case idempotent
        /// Repeated only when the statement certainly did not run.
        case once
    }

    /// Runs `body` on a pooled connection, retrying while the database is unreachable until
    /// `settings.timeout` has passed, then throws `DatabaseUnavailable`. Errors that do not mean
    /// "unreachable" (constraint violations, …) are passed through unchanged.
    func perform<Result: Sendable>(
        _ repeatability: Repeatability, migrating: Bool = true,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        // A stopped pool would queue the request until the deadline.
        if isShutDown.withLock({ $0 }) { throw DatabaseUnavailable(reason: "store shut down") }
        if migrating, !migrated.withLock({ $0 }) { try await migrate() }
        let deadline = ContinuousClock.now + settings.timeout
        var pause = Duration.milliseconds(25)
        while true {
            let attempt = await attempt(body, until: deadline)
            switch attempt {
            case .success(let value):
                return value
            case .failure(let failure):
                guard let outage = PostgresFailure(failure.error, started: failure.started) else { throw failure.error }
                let canRepeat = !outage.mayHaveRun || repeatability == .idempotent
                guard canRepeat, !outage.isFinal, ContinuousClock.now + pause < deadline else {
                    throw DatabaseUnavailable(reason: outage.reason)
                }
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(400))
            }
        }
    }
}

extension PostgresSettings.TLSMode {
    var clientTLS: PostgresClient.Configuration.TLS {
        switch self {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }
}
