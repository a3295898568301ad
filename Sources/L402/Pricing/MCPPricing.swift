/// How an MCP tool (`kind: mcp`) prices its JSON-RPC calls: only `tools/call` is priced, per MCP
/// tool name; every other method (`initialize`, `tools/list`, `resources/*`, `prompts/*`, `ping`,
/// notifications) is free.
public struct MCPPricing: Sendable, Equatable, Codable {
    /// What one token bought for a call may be used for.
    public enum TokenScope: String, Sendable, Equatable, Codable {
        /// Only the MCP tool(s) it was bought for (an `mcp_tool=<name>` caveat).
        case oneTool = "tool"
        /// Any MCP tool of this gateway tool whose price it covers (no `mcp_tool` caveat).
        case anyTool = "any"
    }

    /// Prices per MCP tool name, in satoshis; names not listed cost the tool's `price_sats`.
    public var prices: [String: UInt64]
    /// MCP tool names that are free.
    public var freeTools: [String]
    /// Whether a token pays for one MCP tool or any tool of the server.
    public var tokenScope: TokenScope

    enum CodingKeys: String, CodingKey {
        case prices = "mcp_prices"
        case freeTools = "free_mcp_tools"
        case tokenScope = "mcp_token_scope"
    }

    /// Prices per MCP tool in sats, the tools that are free, and what a token covers.
    public init(prices: [String: UInt64] = [:], freeTools: [String] = [], tokenScope: TokenScope = .oneTool) {
        self.prices = prices
        self.freeTools = freeTools
        self.tokenScope = tokenScope
    }

    /// The price of one `tools/call` of `name`: 0 when it is free, its own price when listed, else `defaultSats`.
    public func price(of name: String, defaultSats: UInt64) -> UInt64 {
        if freeTools.contains(name) { return 0 }
        return prices[name] ?? defaultSats
    }
}
