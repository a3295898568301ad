import Foundation

/// Everything `l402 serve` needs to run, as read from the YAML config file and the command line.
public struct GatewayConfiguration: Sendable, Equatable {
    /// Address the gateway listens on. Default `127.0.0.1:8402`.
    public var host: String
    public var port: Int
    /// Where the gateway keeps its state (SQLite database, dev node key). Default `./data`.
    public var dataDirectory: String
    /// The Lightning backend that issues invoices.
    public var lightning: LightningBackend
    /// SQLite database file; nil means `<dataDirectory>/l402.sqlite`.
    public var databasePath: String?
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
    /// The paid tools, each reachable under `/<slug>/`.
    public var tools: [ToolConfiguration]

    public init(
        host: String = "127.0.0.1", port: Int = 8402, dataDirectory: String = "./data",
        lightning: LightningBackend = .dev, databasePath: String? = nil, invoiceExpirySeconds: Int = 600,
        upstreamPoolSize: Int = 256, maxBodyBytes: Int = 100 * 1024 * 1024, maxHeaderBytes: Int = 64 * 1024,
        upstreamTimeoutSeconds: Int = 60, upstreamConnectTimeoutSeconds: Int = 5, tools: [ToolConfiguration] = []
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.lightning = lightning
        self.databasePath = databasePath
        self.invoiceExpirySeconds = invoiceExpirySeconds
        self.upstreamPoolSize = upstreamPoolSize
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.upstreamTimeoutSeconds = upstreamTimeoutSeconds
        self.upstreamConnectTimeoutSeconds = upstreamConnectTimeoutSeconds
        self.tools = tools
    }

    /// The SQLite file actually used.
    public var resolvedDatabasePath: String {
        databasePath ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("l402.sqlite").path
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
}

/// One paid tool: requests to `/<slug>/<rest>` go to `<upstream>/<rest>` once paid for.
public struct ToolConfiguration: Sendable, Equatable {
    /// First path segment the tool is served under: letters, digits, `-`, `_`, `.`.
    public var slug: String
    /// Base URL of the tool (`http` or `https`), without query.
    public var upstream: URL
    /// Price of one token, in satoshis.
    public var priceSats: UInt64
    /// Calls one token allows (1: pay per request).
    public var calls: Int
    /// Seconds a token stays valid after it is issued; nil: until its calls are used.
    public var validForSeconds: Int?
    /// Human-readable description, used as the invoice memo.
    public var description: String?
    /// Prices that differ from `priceSats` for some methods or paths; the first match wins.
    public var prices: [PriceRule]

    public init(
        slug: String, upstream: URL, priceSats: UInt64, calls: Int = 1, validForSeconds: Int? = nil,
        description: String? = nil, prices: [PriceRule] = []
    ) {
        self.slug = slug
        self.upstream = upstream
        self.priceSats = priceSats
        self.calls = calls
        self.validForSeconds = validForSeconds
        self.description = description
        self.prices = prices
    }

    /// The price of a request with `method` to `path` (the path below the slug, starting with `/`).
    public func price(method: String, path: String) -> UInt64 {
        prices.first { $0.matches(method: method, path: path) }?.priceSats ?? priceSats
    }
}

/// A price for the requests of a tool that match a method and/or a path prefix.
public struct PriceRule: Sendable, Equatable {
    /// Upper-case HTTP method; nil matches any.
    public var method: String?
    /// Prefix of the path below the slug (e.g. `/forecast`); nil matches any.
    public var pathPrefix: String?
    public var priceSats: UInt64

    public init(method: String? = nil, pathPrefix: String? = nil, priceSats: UInt64) {
        self.method = method
        self.pathPrefix = pathPrefix
        self.priceSats = priceSats
    }

    /// Whether a request with `method` to `path` falls under this rule.
    public func matches(method: String, path: String) -> Bool {
        if let ruleMethod = self.method, ruleMethod != method.uppercased() { return false }
        if let prefix = pathPrefix, !path.hasPrefix(prefix) { return false }
        return true
    }
}
