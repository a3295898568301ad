import L402
import GRDB

/// The versioned schema. Never edit a registered migration: add a new one .
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-tokens-ledger-dev-invoices") { db in
            try db.execute(sql: """
                CREATE TABLE root_keys (
                    token_id BLOB PRIMARY KEY NOT NULL,
                    root_key BLOB NOT NULL,
                    created_at REAL NOT NULL,
                    unpaid_expires_at REAL NOT NULL,
                    paid_expires_at REAL,
                    paid_at REAL
                ) WITHOUT ROWID;
                CREATE INDEX root_keys_unpaid_expiry ON root_keys(unpaid_expires_at) WHERE paid_at IS NULL;
                CREATE INDEX root_keys_paid_expiry ON root_keys(paid_expires_at) WHERE paid_expires_at IS NOT NULL;

                CREATE TABLE token_usage (
                    token_id BLOB PRIMARY KEY NOT NULL,
                    used INTEGER NOT NULL CHECK (used >= 0)
                ) WITHOUT ROWID;

                CREATE TABLE invocations (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time REAL NOT NULL,
                    tool TEXT NOT NULL,
                    token_id TEXT,
                    sats INTEGER NOT NULL CHECK (sats >= 0),
                    upstream_status INTEGER,
                    latency_ms REAL NOT NULL,
                    outcome TEXT NOT NULL
                );
                CREATE INDEX invocations_time ON invocations(time);
                CREATE INDEX invocations_tool_time ON invocations(tool, time);

                CREATE TABLE dev_invoices (
                    payment_hash BLOB PRIMARY KEY NOT NULL,
                    preimage BLOB NOT NULL,
                    payment_request TEXT NOT NULL,
                    amount_msat INTEGER NOT NULL,
                    memo TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    expires_at REAL NOT NULL,
                    settled_at REAL
                ) WITHOUT ROWID;
                CREATE INDEX dev_invoices_unsettled_expiry ON dev_invoices(expires_at) WHERE settled_at IS NULL;
                """)
        }
        migrator.registerMigration("v2-tools-free-calls") { db in
            try db.execute(sql: """
                CREATE TABLE tools (
                    slug TEXT PRIMARY KEY NOT NULL,
                    upstream TEXT NOT NULL,
                    price_sats INTEGER NOT NULL CHECK (price_sats >= 0),
                    calls INTEGER NOT NULL CHECK (calls > 0),
                    valid_for_seconds INTEGER,
                    description TEXT,
                    prices TEXT NOT NULL,
                    free_calls_per_day INTEGER NOT NULL CHECK (free_calls_per_day >= 0),
                    enabled INTEGER NOT NULL,
                    updated_at REAL NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE free_calls (
                    day TEXT NOT NULL,
                    tool TEXT NOT NULL,
                    client TEXT NOT NULL,
                    used INTEGER NOT NULL CHECK (used >= 0),
                    PRIMARY KEY (day, tool, client)
                ) WITHOUT ROWID;
                """)
        }
        // Names each ledger row, so recording an invocation twice leaves one row. Old rows keep NULL.
        migrator.registerMigration("v3-invocation-keys") { db in
            try db.execute(sql: """
                ALTER TABLE invocations ADD COLUMN call_key TEXT;
                CREATE UNIQUE INDEX invocations_call_key ON invocations(call_key);
                """)
        }
        // What each token was sold as (NULL for keys stored before: their numbers come from the
        // minter's caveats), and call leases: `used` counts committed and leased calls, `leased` the
        // leases, one `call_leases` row each, so a lease its process never settled can be given back.
        migrator.registerMigration("v4-purchases-call-leases") { db in
            try db.execute(sql: """
                ALTER TABLE root_keys ADD COLUMN purchase_tool TEXT;
                ALTER TABLE root_keys ADD COLUMN purchase_sats INTEGER CHECK (purchase_sats >= 0);
                ALTER TABLE root_keys ADD COLUMN purchase_calls INTEGER CHECK (purchase_calls > 0);
                ALTER TABLE token_usage ADD COLUMN leased INTEGER NOT NULL DEFAULT 0 CHECK (leased >= 0);

                CREATE TABLE call_leases (
                    lease_id TEXT PRIMARY KEY NOT NULL,
                    token_id BLOB NOT NULL,
                    taken_at REAL NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX call_leases_taken_at ON call_leases(taken_at);
                CREATE INDEX call_leases_token ON call_leases(token_id);
                """)
        }
        // MCP tools (issue 12): a tool's MCP pricing as JSON (NULL for plain HTTP tools), and the MCP
        // tool a ledger row's call named (NULL for plain HTTP calls).
        migrator.registerMigration("v5-mcp-tool") { db in
            try db.execute(sql: """
                ALTER TABLE tools ADD COLUMN mcp TEXT;
                ALTER TABLE invocations ADD COLUMN mcp_tool TEXT;
                """)
        }
        // The Payment scheme (issue 14): the scheme that paid for each ledger row's call (NULL for free
        // calls and older rows), and named secrets every gateway of the database shares (the Payment
        // binding key), created once by whichever gateway asks first.
        migrator.registerMigration("v6-payment-scheme") { db in
            try db.execute(sql: """
                ALTER TABLE invocations ADD COLUMN scheme TEXT;
                CREATE TABLE server_secrets (
                    name TEXT PRIMARY KEY NOT NULL,
                    value BLOB NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        // Payment schemes per tool (issue 14): `l402,payment` (NULL: both, for tools stored before).
        migrator.registerMigration("v7-tool-schemes") { db in
            try db.execute(sql: "ALTER TABLE tools ADD COLUMN schemes TEXT")
        }
        // The usage rollup (issue 16, see `UsageRollup`): kept by a trigger on every ledger insert, and
        // filled from the ledger once here.
        migrator.registerMigration("v8-usage-rollup") { db in
            let day = "date(NEW.time, 'unixepoch')"
            try db.execute(sql: """
                CREATE TABLE usage_daily (
                    day TEXT NOT NULL,
                    tool TEXT NOT NULL,
                    mcp INTEGER NOT NULL,
                    mcp_tool TEXT NOT NULL,
                    calls INTEGER NOT NULL,
                    paid_calls INTEGER NOT NULL,
                    free_calls INTEGER NOT NULL,
                    sats INTEGER NOT NULL,
                    l402_calls INTEGER NOT NULL,
                    l402_sats INTEGER NOT NULL,
                    payment_calls INTEGER NOT NULL,
                    payment_sats INTEGER NOT NULL,
                    PRIMARY KEY (day, tool, mcp, mcp_tool)
                ) WITHOUT ROWID;
                CREATE TRIGGER invocations_usage_daily AFTER INSERT ON invocations BEGIN
                    \(UsageRollup.addRow(day: day));
                END;
                \(UsageRollup.backfill(day: "date(time, 'unixepoch')"));
                """)
        }
        return migrator
    }
}
