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

    public init(
        slug: String, upstream: URL, priceSats: UInt64, calls: Int = 1, validForSeconds: Int? = nil,
        description: String? = nil, prices: [PriceRule] = [], freeCallsPerDay: Int = 0, enabled: Bool = true
    ) {
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

    /// The price of a request with `method` to `path` (the path below the slug, starting with `/`).
    public func price(method: String, path: String) -> UInt64 {
        prices.first { $0.matches(method: method, path: path) }?.priceSats ?? priceSats
    }
}

/// A price for the requests of a tool that match a method and/or a path prefix.
public struct PriceRule: Sendable, Equatable, Codable {
    /// Upper-case HTTP method; nil matches any.
    public var method: String?
    /// Prefix of the path below the slug (e.g. `/forecast`); nil matches any.
    public var pathPrefix: String?
    public var priceSats: UInt64

    /// The names used in YAML, in the admin API and in the stored JSON.
    enum CodingKeys: String, CodingKey {
        case method
        case pathPrefix = "path_prefix"
        case priceSats = "price_sats"
    }

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
