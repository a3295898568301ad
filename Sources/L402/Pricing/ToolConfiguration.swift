import Foundation

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
    /// Calls each client IP may make per UTC day without paying (Aperture's "freebie"); 0: none.
    public var freeCallsPerDay: Int
    /// A disabled tool stays registered (with its ledger) but is not served.
    public var enabled: Bool
    /// Set for an MCP tool (`kind: mcp`): its upstream is an MCP server speaking Streamable HTTP and
    /// only `tools/call` is priced, per MCP tool name. nil for a plain HTTP tool.
    public var mcp: MCPPricing?
    /// The payment schemes the tool is offered under (`schemes: [l402, payment]`; both by default).
    public var schemes: [PaymentScheme]

    /// A tool served under `/<slug>/`, forwarding to `upstream`, with these prices and limits.
    public init(
        slug: String, upstream: URL, priceSats: UInt64, calls: Int = 1, validForSeconds: Int? = nil,
        description: String? = nil, prices: [PriceRule] = [], freeCallsPerDay: Int = 0, enabled: Bool = true,
        mcp: MCPPricing? = nil, schemes: [PaymentScheme] = PaymentScheme.all
    ) {
        self.schemes = schemes
        self.mcp = mcp
        self.slug = slug
        self.upstream = upstream
        self.priceSats = priceSats
        self.calls = calls
        self.validForSeconds = validForSeconds
        self.description = description
        self.prices = prices
        self.freeCallsPerDay = freeCallsPerDay
        self.enabled = enabled
    }

    /// What the paywall charges for this tool: the tool's price, its calls, validity, rules, free calls and schemes.
    public var pricing: Pricing {
        Pricing(
            tool: slug, sats: priceSats, calls: calls, validForSeconds: validForSeconds, memo: description, rules: prices,
            freeCallsPerDay: freeCallsPerDay, schemes: schemes)
    }
}

/// A price for the requests of a tool that match a method and/or a path prefix (whole segments).
public struct PriceRule: Sendable, Equatable, Codable {
    /// Upper-case HTTP method; nil matches any.
    public var method: String?
    /// Prefix of the path below the slug (e.g. `/forecast`); nil matches any.
    public var pathPrefix: String?
    /// The price of a token for a matching request, in sats.
    public var priceSats: UInt64

    /// The names used in YAML, in the admin API and in the stored JSON.
    enum CodingKeys: String, CodingKey {
        case method
        case pathPrefix = "path_prefix"
        case priceSats = "price_sats"
    }

    /// A rule for requests with this method and/or path prefix (nil matches any).
    public init(method: String? = nil, pathPrefix: String? = nil, priceSats: UInt64) {
        self.method = method
        self.pathPrefix = pathPrefix
        self.priceSats = priceSats
    }

    /// Whether a request with `method` to `path` falls under this rule. The prefix matches whole
    /// segments (`/bulk` covers `/bulk` and `/bulk/x`, not `/bulkx`), exactly as a `path_prefix` caveat does.
    public func matches(method: String, path: String) -> Bool {
        if let ruleMethod = self.method, ruleMethod != method.uppercased() { return false }
        if let prefix = pathPrefix, !PathPrefix.covers(prefix, path: path) { return false }
        return true
    }
}
