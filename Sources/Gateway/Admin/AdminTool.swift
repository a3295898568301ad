import L402
import Foundation
import Storage

/// A tool as the admin API sends it (and `l402 tools` reads it): the same keys as a `tools` entry of
/// the config file. Optional fields that are unset are left out.
public struct AdminTool: Codable, Sendable, Equatable {
    public var slug: String
    public var upstream: String
    public var priceSats: UInt64
    public var calls: Int
    public var validFor: Int?
    public var description: String?
    public var prices: [PriceRule]
    public var freeCallsPerDay: Int
    public var enabled: Bool
    /// `mcp` for an MCP tool; absent for a plain HTTP tool.
    public var kind: String?
    /// An MCP tool's prices per MCP tool name, free MCP tools and token scope; absent for HTTP tools.
    public var mcpPrices: [String: UInt64]?
    public var freeMCPTools: [String]?
    public var mcpTokenScope: String?

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
    }

    /// The same fields as a JSON value, which a partial update (PATCH) is merged into.
    var jsonValue: JSONValue {
        // Encoding strings and numbers cannot fail; the fallback only satisfies the compiler.
        guard let data = try? JSONEncoder().encode(self), let value = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return .object([:])
        }
        return value
    }
}

/// `GET /_l402/admin/tools`.
public struct AdminToolList: Codable, Sendable {
    public var tools: [AdminTool]
}
