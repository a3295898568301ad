import L402
import Logging
import PostgresNIO

/// The versioned PostgreSQL schema. Never edit a released migration: append a new one.
///
/// `migrate` runs in one transaction that first takes a transaction-scoped advisory lock, so when several
/// gateways start at once exactly one applies the missing migrations and the others wait, then find
/// them recorded in `schema_migrations` and do nothing.
enum PostgresSchema {
    struct Migration {
        var version: Int
        var name: String
        /// Run in order; the extended query protocol takes one statement at a time.
        var statements: [String]
    }

    /// Arbitrary constant shared by every swift-l402 gateway (the first half of the advisory lock key).
    static let lockNamespace: Int32 = 0x4C34_3032  // "L402"

    static let migrations: [Migration] = [
        Migration(version: 1, name: "tokens-ledger-dev-invoices", statements: [
            """
            CREATE TABLE root_keys (
                token_id bytea PRIMARY KEY,
                root_key bytea NOT NULL,
                created_at double precision NOT NULL,
                unpaid_expires_at double precision NOT NULL,
                paid_expires_at double precision,
                paid_at double precision
            )
            """,
            "CREATE INDEX root_keys_unpaid_expiry ON root_keys (unpaid_expires_at) WHERE paid_at IS NULL",
            "CREATE INDEX root_keys_paid_expiry ON root_keys (paid_expires_at) WHERE paid_expires_at IS NOT NULL",
            "CREATE TABLE token_usage (token_id bytea PRIMARY KEY, used bigint NOT NULL CHECK (used >= 0))",
            """
            CREATE TABLE invocations (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                time double precision NOT NULL,
                tool text NOT NULL,
                token_id text,
                sats bigint NOT NULL CHECK (sats >= 0),
                upstream_status integer,
                latency_ms double precision NOT NULL,
                outcome text NOT NULL
            )
            """,
            "CREATE INDEX invocations_time ON invocations (time)",
            "CREATE INDEX invocations_tool_time ON invocations (tool, time)",
            """
            CREATE TABLE dev_invoices (
                payment_hash bytea PRIMARY KEY,
                preimage bytea NOT NULL,
                payment_request text NOT NULL,
                amount_msat bigint NOT NULL,
                memo text NOT NULL,
                created_at double precision NOT NULL,
                expires_at double precision NOT NULL,
                settled_at double precision
            )
            """,
            "CREATE INDEX dev_invoices_unsettled_expiry ON dev_invoices (expires_at) WHERE settled_at IS NULL",
        ]),
        Migration(version: 2, name: "tools-free-calls", statements: [
            """
            CREATE TABLE tools (
                slug text PRIMARY KEY,
                upstream text NOT NULL,
                price_sats bigint NOT NULL CHECK (price_sats >= 0),
                calls bigint NOT NULL CHECK (calls > 0),
                valid_for_seconds bigint,
                description text,
                prices text NOT NULL,
                free_calls_per_day bigint NOT NULL CHECK (free_calls_per_day >= 0),
                enabled boolean NOT NULL,
                updated_at double precision NOT NULL
            )
            """,
            """
            CREATE TABLE free_calls (
                day text NOT NULL,
                tool text NOT NULL,
                client text NOT NULL,
                used bigint NOT NULL CHECK (used >= 0),
                PRIMARY KEY (day, tool, client)
            )
            """,
        ]),
        // The invocation's key, so a write whose outcome is unknown (the connection broke) can be repeated
        // without a second row. Old rows keep NULL (a unique column allows any number of NULLs).
        Migration(version: 3, name: "invocation-request-key", statements: [
            "ALTER TABLE invocations ADD COLUMN request_key uuid UNIQUE",
        ]),
        // What each token was sold as (NULL for keys stored before: their numbers come from the minter's
        // caveats), and call leases: `used` counts committed and leased calls, `leased` the leases, one
        // `call_leases` row each, so a lease its process never settled can be given back.
        Migration(version: 4, name: "purchases-call-leases", statements: [
            """
            ALTER TABLE root_keys ADD COLUMN purchase_tool text,
                ADD COLUMN purchase_sats bigint CHECK (purchase_sats >= 0),
                ADD COLUMN purchase_calls bigint CHECK (purchase_calls > 0)
            """,
            "ALTER TABLE token_usage ADD COLUMN leased bigint NOT NULL DEFAULT 0 CHECK (leased >= 0)",
            "CREATE TABLE call_leases (lease_id uuid PRIMARY KEY, token_id bytea NOT NULL, taken_at double precision NOT NULL)",
            "CREATE INDEX call_leases_taken_at ON call_leases (taken_at)",
            "CREATE INDEX call_leases_token ON call_leases (token_id)",
        ]),
        // MCP tools (issue 12): a tool's MCP pricing as JSON (NULL for plain HTTP tools), and the MCP tool
        // a ledger row's call named (NULL for plain HTTP calls).
        Migration(version: 5, name: "mcp-tool", statements: [
            "ALTER TABLE tools ADD COLUMN mcp text",
            "ALTER TABLE invocations ADD COLUMN mcp_tool text",
        ]),
        // The Payment scheme (issue 14): the scheme that paid for each ledger row's call (NULL for free calls
        // and older rows), and named secrets every gateway of the database shares (the Payment binding key),
        // created once by whichever gateway asks first.
        Migration(version: 6, name: "payment-scheme", statements: [
            "ALTER TABLE invocations ADD COLUMN scheme text",
            "CREATE TABLE server_secrets (name text PRIMARY KEY, value bytea NOT NULL)",
        ]),
        // Payment schemes per tool (issue 14): `l402,payment` (NULL: both, for tools stored before).
        Migration(version: 7, name: "tool-schemes", statements: [
            "ALTER TABLE tools ADD COLUMN schemes text",
        ]),
        // The usage rollup (issue 16, see `UsageRollup`): kept by a trigger on every ledger insert, and
        // filled from the ledger once here. Each connection adds to its own shard of a day's figures
        // (`pg_backend_pid() % 16`), so concurrent calls of one tool do not queue on one row until they
        // commit; readers sum the shards.
        Migration(version: 8, name: "usage-rollup", statements: [
            """
            CREATE TABLE usage_daily (
                day text NOT NULL,
                tool text NOT NULL,
                mcp smallint NOT NULL,
                mcp_tool text NOT NULL,
                shard smallint NOT NULL,
                calls bigint NOT NULL,
                paid_calls bigint NOT NULL,
                free_calls bigint NOT NULL,
                sats bigint NOT NULL,
                l402_calls bigint NOT NULL,
                l402_sats bigint NOT NULL,
                payment_calls bigint NOT NULL,
                payment_sats bigint NOT NULL,
                PRIMARY KEY (day, tool, mcp, mcp_tool, shard)
            )
            """,
            """
            CREATE FUNCTION usage_daily_add() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                \(UsageRollup.addRow(
                    day: "to_char(to_timestamp(NEW.time) AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
                    extraKey: [("shard", "pg_backend_pid() % 16")]));
                RETURN NULL;
            END
            $$
            """,
            "CREATE TRIGGER invocations_usage_daily AFTER INSERT ON invocations FOR EACH ROW EXECUTE FUNCTION usage_daily_add()",
            UsageRollup.backfill(day: "to_char(to_timestamp(time) AT TIME ZONE 'UTC', 'YYYY-MM-DD')", extraKey: [("shard", "0")]),
        ]),
    ]

    /// Applies the missing migrations in one transaction under the advisory lock (creating `schema` first
    /// when one is configured; the connection's `search_path` already points at it). `through` stops after
    /// that version (tests build an older schema with it).
    static func migrate(_ connection: PostgresConnection, schema: String?, through: Int = .max, logger: Logger) async throws {
        try await connection.query("BEGIN", logger: logger)
        do {
            let key = schema ?? ""
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockNamespace), hashtext(\(key)))", logger: logger)
            if let schema {
                // A plain identifier (checked by PostgresSettings), so it needs no quoting.
                try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)", logger: logger)
            }
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """, logger: logger)
            let applied = Set(try await appliedVersions(connection, logger: logger))
            for migration in migrations where !applied.contains(migration.version) && migration.version <= through {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))", logger: logger)
                logger.info("applied database migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            // A broken connection rolls back by itself; the pool discards it.
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// The recorded migration versions, oldest first.
    static func appliedVersions(_ connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        var versions: [Int] = []
        let rows = try await connection.query("SELECT version FROM schema_migrations ORDER BY version", logger: logger)
        for try await version in rows.decode(Int.self) { versions.append(version) }
        return versions
    }
}
