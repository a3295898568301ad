import L402

/// A tool as the admin API sends it (and `l402 tools` reads it): the same keys as a `tools` entry of
/// the config file. Optional fields that are unset are left out.
public struct AdminTool: Codable, Sendable, Equatable {
    /// The tool's slug: it is served under `/<slug>/`.
    public var slug: String
    /// The upstream base URL requests are forwarded to.
    public var upstream: String
    /// The price of one token, in sats.
    public var priceSats: UInt64
    /// The calls one token allows.
    public var calls: Int
    /// Seconds a token stays valid after it is issued; nil when it stays valid until its calls are used.
    public var validFor: Int?
    /// The description (the invoice memo).
    public var description: String?
    /// Prices for some methods or path prefixes, instead of `priceSats`.
    public var prices: [PriceRule]
    /// Free calls per client IP per UTC day.
    public var freeCallsPerDay: Int
    /// Whether the gateway serves the tool (a disabled tool answers 404 `tool_disabled`).
    public var enabled: Bool
    /// `mcp` for an MCP tool; absent for a plain HTTP tool.
    public var kind: String?
    /// An MCP tool's prices per MCP tool name, free MCP tools and token scope; absent for HTTP tools.
    public var mcpPrices: [String: UInt64]?
    public var freeMCPTools: [String]?
    public var mcpTokenScope: String?
    /// The payment schemes the tool is offered under (`l402`, `payment`); absent from an older gateway, which offers L402 only.
    public var schemes: [PaymentScheme]?

    /// The admin API's view of a registered tool.
    public init(_ tool: ToolConfiguration) {
        if let mcp = tool.mcp {
            kind = "mcp"
            mcpPrices = mcp.prices
            freeMCPTools = mcp.freeTools
            mcpTokenScope = mcp.tokenScope.rawValue
        }
        slug = tool.slug
        upstream = tool.upstream.absoluteString
        priceSats = tool.priceSats
        calls = tool.calls
        validFor = tool.validForSeconds
        description = tool.description
        prices = tool.prices
        freeCallsPerDay = tool.freeCallsPerDay
        enabled = tool.enabled
        schemes = tool.schemes
    }

    enum CodingKeys: String, CodingKey {
        case slug, upstream, calls, description, prices, enabled
        case priceSats = "price_sats"
        case validFor = "valid_for"
        case freeCallsPerDay = "free_calls_per_day"
        case kind
        case mcpPrices = "mcp_prices"
        case freeMCPTools = "free_mcp_tools"
        case mcpTokenScope = "mcp_token_scope"
        case schemes
    }

}

/// `GET /_l402/admin/tools`.
public struct AdminToolList: Codable, Sendable {
    /// Every registered tool, enabled or not.
    public var tools: [AdminTool]

    /// A list of these tools.
    public init(tools: [AdminTool]) {
        self.tools = tools
    }
}
