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

    public init(_ tool: ToolConfiguration) {
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
