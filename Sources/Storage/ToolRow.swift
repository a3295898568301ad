import L402
import Foundation

/// A tool as the stores keep it: the URL as text and the price rules as JSON, shared by SQLite
/// and PostgreSQL so both read and write the same columns the same way.
struct ToolRow {
    var slug: String
    var upstream: String
    var priceSats: Int64
    var calls: Int64
    var validForSeconds: Int64?
    var description: String?
    /// The price rules as a JSON array of `{"method", "path_prefix", "price_sats"}`.
    var prices: String
    var freeCallsPerDay: Int64
    var enabled: Bool
    /// An MCP tool's pricing as JSON (`MCPPricing`); nil for a plain HTTP tool.
    var mcp: String?
    /// The payment schemes, comma-separated (`l402,payment`); nil (a row stored before schemes) means both.
    var schemes: String?

    init(_ tool: ToolConfiguration) throws {
        schemes = tool.schemes.map(\.rawValue).joined(separator: ",")
        mcp = try tool.mcp.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        slug = tool.slug
        upstream = tool.upstream.absoluteString
        priceSats = try tool.priceSats.databaseInteger("price_sats")
        calls = Int64(tool.calls)
        validForSeconds = tool.validForSeconds.map(Int64.init)
        description = tool.description
        prices = String(decoding: try JSONEncoder().encode(tool.prices), as: UTF8.self)
        freeCallsPerDay = Int64(tool.freeCallsPerDay)
        enabled = tool.enabled
    }

    init(
        slug: String, upstream: String, priceSats: Int64, calls: Int64, validForSeconds: Int64?, description: String?,
        prices: String, freeCallsPerDay: Int64, enabled: Bool, mcp: String?, schemes: String?
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

    func tool() throws -> ToolConfiguration {
        guard let url = URL(string: upstream) else { throw StorageError.corruptRow("tool \(slug): upstream is not a URL") }
        guard let price = UInt64(exactly: priceSats), let calls = Int(exactly: calls), calls > 0 else {
            throw StorageError.corruptRow("tool \(slug): price or calls out of range")
        }
        let rules: [PriceRule]
        do {
            rules = try JSONDecoder().decode([PriceRule].self, from: Data(prices.utf8))
        } catch {
            throw StorageError.corruptRow("tool \(slug): price rules are not valid JSON")
        }
        let mcpPricing: MCPPricing?
        do {
            mcpPricing = try mcp.map { try JSONDecoder().decode(MCPPricing.self, from: Data($0.utf8)) }
        } catch {
            throw StorageError.corruptRow("tool \(slug): MCP pricing is not valid JSON")
        }
        let paymentSchemes: [PaymentScheme]
        do {
            paymentSchemes = try schemes.map { try PaymentScheme.parseList($0.split(separator: ",").map(String.init)) } ?? PaymentScheme.all
        } catch {
            throw StorageError.corruptRow("tool \(slug): payment schemes: \(error)")
        }
        return ToolConfiguration(
            slug: slug, upstream: url, priceSats: price, calls: calls, validForSeconds: validForSeconds.map { Int($0) },
            description: description, prices: rules, freeCallsPerDay: Int(freeCallsPerDay), enabled: enabled, mcp: mcpPricing,
            schemes: paymentSchemes)
    }
}
