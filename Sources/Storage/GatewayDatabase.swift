import L402
import Lightning

/// Everything a gateway keeps in its database: root keys, call counters, the ledger, the dev
/// node's invoices, the tool registry and free-call counters. `SQLiteStore` (the default) and
/// the PostgreSQL store (several gateways on one database) implement all of it.
public typealias GatewayDatabase = SecretStore & TokenUsageStore & InvocationLedger & DevInvoiceStore & ToolRegistry & FreeCallStore
