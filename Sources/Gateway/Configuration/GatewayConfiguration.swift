import L402Server
import L402
import Foundation
import Storage

/// Everything `l402 serve` needs to run, as read from the YAML config file and the command line.
public struct GatewayConfiguration: Sendable, Equatable {
    /// Address the public listener (tools, `/_l402/health`, dev endpoints) binds. Default `127.0.0.1:8402`.
    public var host: String
    public var port: Int
    /// Address the operator listener (admin API, dashboard, metrics) binds (YAML `admin_listen`).
    /// Default `127.0.0.1:8403`: tools never share an origin with the dashboard.
    public var adminHost: String = "127.0.0.1"
    public var adminPort: Int = 8403
    /// Where the gateway keeps its state (SQLite database, dev node key). Default `./data`.
    public var dataDirectory: String
    /// The Lightning backend that issues invoices.
    public var lightning: LightningBackend
    /// SQLite database file; nil means `<dataDirectory>/l402.sqlite`. Unused when `postgres` is set.
    public var databasePath: String?
    /// A shared PostgreSQL database (YAML `database: postgres://…` or `DATABASE_URL`); nil: SQLite.
    public var postgres: PostgresSettings?
    /// How long an issued invoice (and its unpaid challenge) stays payable, in seconds.
    public var invoiceExpirySeconds: Int
    /// Upper bound on open connections to each upstream host.
    public var upstreamPoolSize: Int
    /// Largest request body forwarded upstream, in bytes (bigger ones get 413).
    public var maxBodyBytes: Int
    /// Largest request head (all header fields together), in bytes.
    public var maxHeaderBytes: Int
    /// How long the gateway waits for an upstream to answer, in seconds (then 504).
    public var upstreamTimeoutSeconds: Int
    /// How long the gateway keeps trying to connect to an upstream before answering 502, in seconds.
    public var upstreamConnectTimeoutSeconds: Int
    /// The paid tools, each reachable under `/<slug>/`: they seed the tool registry at startup
    /// (a tool already registered keeps its registered settings).
    public var tools: [ToolConfiguration]
    /// How often the gateway reloads its tools from the registry, to see changes made by other
    /// gateways sharing the database (its own admin API changes apply at once). Default 5 s.
    public var toolRefreshInterval: Duration
    /// The token the admin API, metrics and dashboard require; nil: generated into `<dataDirectory>/admin.token`.
    public var adminToken: String?
    /// A read-only token that opens the metrics and nothing else (YAML `metrics_token`, `L402_METRICS_TOKEN`),
    /// for a Prometheus scrape when the operator listener is not on loopback.
    public var metricsToken: String?
    /// How long a dashboard login lasts, in hours (YAML `dashboard_session_hours`). Default 12.
    public var dashboardSessionHours: Int = 12
    /// How many 402 challenges one client may cause (YAML `challenge_rate_limit`).
    public var challengeRateLimit: ChallengeRateLimit = .standard
    /// IP addresses of reverse proxies whose `X-Forwarded-For` names the client (YAML `trusted_proxies`).
    /// Empty (the default): the client is always the TCP peer.
    public var trustedProxies: [String] = []

    public init(
        host: String = "127.0.0.1", port: Int = 8402, dataDirectory: String = "./data",
        lightning: LightningBackend = .dev, databasePath: String? = nil, postgres: PostgresSettings? = nil,
        invoiceExpirySeconds: Int = 600,
        upstreamPoolSize: Int = 256, maxBodyBytes: Int = 100 * 1024 * 1024, maxHeaderBytes: Int = 64 * 1024,
        upstreamTimeoutSeconds: Int = 60, upstreamConnectTimeoutSeconds: Int = 5, tools: [ToolConfiguration] = [],
        adminToken: String? = nil, toolRefreshInterval: Duration = .seconds(5)
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.lightning = lightning
        self.databasePath = databasePath
        self.postgres = postgres
        self.invoiceExpirySeconds = invoiceExpirySeconds
        self.upstreamPoolSize = upstreamPoolSize
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.upstreamTimeoutSeconds = upstreamTimeoutSeconds
        self.upstreamConnectTimeoutSeconds = upstreamConnectTimeoutSeconds
        self.tools = tools
        self.adminToken = adminToken
        self.toolRefreshInterval = toolRefreshInterval
    }

    /// The SQLite file used when `postgres` is nil.
    public var resolvedDatabasePath: String {
        databasePath ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("l402.sqlite").path
    }

    /// Why the two listeners cannot both bind as configured, if they cannot: the operator listener on
    /// the public one's port (and the same or an overlapping wildcard address) would either fail to
    /// bind or serve the dashboard on the tools' origin.
    public var listenerConflict: String? {
        guard port != 0, adminPort == port else { return nil }
        let wildcards: Set<String> = ["0.0.0.0", "::", "*", ""]
        guard host == adminHost || wildcards.contains(host) || wildcards.contains(adminHost) else { return nil }
        return "admin_listen (\(adminHost):\(adminPort)) must differ from listen (\(host):\(port)): "
            + "the admin API, dashboard and metrics are never served on the tools' origin"
    }

    /// Whether the operator listener binds only a loopback address (then the metrics need no token).
    public var adminListensOnLoopback: Bool {
        if adminHost.lowercased() == "localhost" { return true }
        guard let address = ClientAddress.canonical(adminHost) else { return false }
        return address.hasPrefix("127.") || address == "::1"
    }

    /// The tool served under `slug`, if any.
    public func tool(slug: String) -> ToolConfiguration? {
        tools.first { $0.slug == slug }
    }
}

/// Which Lightning node issues the gateway's invoices.
public enum LightningBackend: Sendable, Equatable {
    /// The embedded dev node: real signed regtest invoices, settled by `POST /_l402/dev/pay`. Moves no money.
    case dev
    /// An LND node over REST.
    case lnd(restURL: String, macaroon: String, tlsCertificatePath: String?)
    /// A phoenixd over its HTTP API; the limited-access password is enough.
    case phoenixd(url: String, password: String)
    /// Core Lightning through `clnrest`, with a rune allowing `invoice`, `listinvoices` and `getinfo`.
    case cln(restURL: String, rune: String, tlsCertificatePath: String?)
    /// An LNbits wallet, with its invoice key.
    case lnbits(url: String, invoiceKey: String)
}
