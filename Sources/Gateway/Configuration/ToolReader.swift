import L402
import Foundation
import Storage

/// The one set of rules for what a tool may be, shared by the config file's `tools` list and the
/// admin API: which keys exist, which are required, and what each value may hold.
enum ToolReader {
    /// Every key a tool may have (YAML and JSON use the same names).
    static let keys: Set<String> = [
        "slug", "upstream", "price_sats", "calls", "valid_for", "description", "prices", "free_calls_per_day", "enabled",
        "kind", "mcp_prices", "free_mcp_tools", "mcp_token_scope", "schemes",
    ]
    /// The longest invoice memo BOLT-11 can carry (the `d` field's 10-bit length in 5-bit words).
    static let maxDescriptionBytes = 639

    /// Reads one tool; an optional key given as null keeps its default.
    static func tool<Node: ToolDocumentNode>(_ node: Node) throws(Node.Failure) -> ToolConfiguration {
        let fields = try node.mapping(allowedKeys: keys).filter { !$0.value.isNull }
        guard let slugField = fields["slug"] else { throw node.error("missing `slug`") }
        guard let upstreamField = fields["upstream"] else { throw node.error("missing `upstream` (the tool's base URL)") }
        guard let priceField = fields["price_sats"] else { throw node.error("missing `price_sats`") }
        let slug = try slugField.nonEmptyString()
        guard isValidSlug(slug) else {
            throw slugField.error("'\(slug)' is not a valid slug: use letters, digits, '-', '_' or '.', and not start with '_'")
        }
        var tool = ToolConfiguration(slug: slug, upstream: try upstreamField.upstreamURL(), priceSats: try priceField.satoshis())
        if let calls = fields["calls"] { tool.calls = try calls.integer(in: 1...1_000_000_000) }
        if let validFor = fields["valid_for"] { tool.validForSeconds = try validFor.integer(in: 1...315_360_000, unit: "seconds") }
        if let description = fields["description"] { tool.description = try self.description(description) }
        if let prices = fields["prices"] {
            tool.prices = try prices.sequence().map { (item) throws(Node.Failure) in try priceRule(item) }
        }
        if let free = fields["free_calls_per_day"] { tool.freeCallsPerDay = try free.integer(in: 0...1_000_000) }
        if let enabled = fields["enabled"] { tool.enabled = try enabled.boolean() }
        tool.mcp = try mcpPricing(fields, node: node)
        if let schemes = fields["schemes"] { tool.schemes = try self.schemes(schemes) }
        return tool
    }

    /// `schemes: [l402, payment]`: which payment schemes the tool is offered under.
    private static func schemes<Node: ToolDocumentNode>(_ node: Node) throws(Node.Failure) -> [PaymentScheme] {
        let names = try node.sequence().map { (item) throws(Node.Failure) in try item.nonEmptyString() }
        do { return try PaymentScheme.parseList(names) } catch { throw node.error(error.description) }
    }

    /// The MCP keys: `kind: mcp` (or `http`, the default), then `mcp_prices`, `free_mcp_tools` and
    /// `mcp_token_scope`, which only an MCP tool may have.
    private static func mcpPricing<Node: ToolDocumentNode>(_ fields: [String: Node], node: Node) throws(Node.Failure) -> MCPPricing? {
        let kind = try fields["kind"]?.nonEmptyString() ?? "http"
        guard kind == "mcp" else {
            guard kind == "http" else { throw fields["kind"]!.error("expected `http` or `mcp`, got '\(kind)'") }
            if let key = ["mcp_prices", "free_mcp_tools", "mcp_token_scope"].first(where: { fields[$0] != nil }) {
                throw fields[key]!.error("only a tool with `kind: mcp` may have `\(key)`")
            }
            return nil
        }
        var pricing = MCPPricing()
        if let prices = fields["mcp_prices"] {
            for (name, price) in try prices.mapping(allowedKeys: nil) {
                guard isValidMCPToolName(name) else { throw price.error("'\(name)' is not a valid MCP tool name") }
                pricing.prices[name] = try price.satoshis()
            }
        }
        if let free = fields["free_mcp_tools"] {
            pricing.freeTools = try free.sequence().map { (item) throws(Node.Failure) in
                let name = try item.nonEmptyString()
                guard isValidMCPToolName(name) else { throw item.error("'\(name)' is not a valid MCP tool name") }
                return name
            }
        }
        if let scope = fields["mcp_token_scope"] {
            let value = try scope.nonEmptyString()
            guard let parsed = MCPPricing.TokenScope(rawValue: value) else {
                throw scope.error("expected `tool` (a token pays for the MCP tool it was bought for) or `any`, got '\(value)'")
            }
            pricing.tokenScope = parsed
        }
        return pricing
    }

    /// An MCP tool name that fits an `mcp_tool` caveat: printable ASCII without spaces, `,` `:` or `=`.
    static func isValidMCPToolName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 128
            && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: ":") && $0 != UInt8(ascii: "=") }
    }

    /// Reads one entry of a tool's `prices`.
    static func priceRule<Node: ToolDocumentNode>(_ node: Node) throws(Node.Failure) -> PriceRule {
        let fields = try node.mapping(allowedKeys: ["method", "path_prefix", "price_sats"]).filter { !$0.value.isNull }
        guard let price = fields["price_sats"] else { throw node.error("missing `price_sats`") }
        var rule = PriceRule(priceSats: try price.satoshis())
        if let method = fields["method"] {
            let name = try method.nonEmptyString().uppercased()
            guard name.count <= 32, name.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw method.error("'\(name)' is not an HTTP method")
            }
            rule.method = name
        }
        if let prefix = fields["path_prefix"] {
            let value = try prefix.nonEmptyString()
            guard value.hasPrefix("/") else { throw prefix.error("must start with '/', got '\(value)'") }
            rule.pathPrefix = value
        }
        guard rule.method != nil || rule.pathPrefix != nil else { throw node.error("a price rule needs `method`, `path_prefix` or both") }
        return rule
    }

    /// A slug is one path segment the gateway can route: no `/`, no leading `_` (`/_l402/` is the gateway's own).
    static func isValidSlug(_ slug: String) -> Bool {
        !slug.isEmpty && !slug.hasPrefix("_") && slug.count <= 64
            && slug.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
            && slug != "." && slug != ".."
    }

    private static func description<Node: ToolDocumentNode>(_ node: Node) throws(Node.Failure) -> String {
        let text = try node.string()
        guard text.utf8.count <= maxDescriptionBytes else {
            throw node.error("at most \(maxDescriptionBytes) bytes (it becomes the invoice memo), got \(text.utf8.count)")
        }
        return text
    }
}
