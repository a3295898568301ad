import Lightning

/// Everything a paywall keeps in its database: root keys with their purchases, call counters and
/// leases, the ledger (committed together with the calls it meters), the dev node's invoices, the
/// tool registry, free-call counters and the server's shared secrets. The Storage module's SQLite store (the default) and
/// PostgreSQL store (several gateways on one database) implement all of it; an app may bring its own.
public typealias PaywallStore = SecretStore & MeteringStore & DevInvoiceStore & ToolRegistry & FreeCallStore & ServerSecretStore
