import L402
import Foundation
import L402Admin
import Storage
import Testing

@testable import Gateway

/// The config file and the admin API share one set of tool rules: the same tool is read the same
/// way, and the same mistake gets the same reason, from YAML and from JSON.
@Suite struct ToolReaderTests {
    private static func fromYAML(_ yaml: String) throws(ConfigurationError) -> ToolConfiguration {
        try ConfigurationLoader.parse("tools:\n  - " + yaml.replacingOccurrences(of: "\n", with: "\n    ")).tools[0]
    }

    private static func fromJSON(_ json: String) throws -> ToolConfiguration {
        try ToolReader.tool(JSONField(value: try JSONValue.parse(Array(json.utf8)), path: ""))
    }

    @Test func aFullToolReadsTheSameFromBoth() throws {
        let yaml = """
            slug: weather
            upstream: http://127.0.0.1:7000/api
            price_sats: 10
            calls: 3
            valid_for: 60
            description: Forecasts
            free_calls_per_day: 4
            enabled: false
            schemes: [payment]
            prices:
              - method: post
                path_prefix: /bulk
                price_sats: 50
            """
        let json = #"""
            {"slug":"weather","upstream":"http://127.0.0.1:7000/api","price_sats":10,"calls":3,"valid_for":60,"description":"Forecasts",
             "free_calls_per_day":4,"enabled":false,"schemes":["payment"],"prices":[{"method":"post","path_prefix":"/bulk","price_sats":50}]}
            """#
        let expected = ToolConfiguration(
            slug: "weather", upstream: URL(string: "http://127.0.0.1:7000/api")!, priceSats: 10, calls: 3, validForSeconds: 60,
            description: "Forecasts", prices: [PriceRule(method: "POST", pathPrefix: "/bulk", priceSats: 50)], freeCallsPerDay: 4,
            enabled: false, schemes: [.payment])
        #expect(try Self.fromYAML(yaml) == expected)
        #expect(try Self.fromJSON(json) == expected)
        // What the admin API sends back reads as the same tool.
        let echoed = String(decoding: try JSONEncoder().encode(AdminTool(expected)), as: UTF8.self)
        #expect(try Self.fromJSON(echoed) == expected)
    }

    @Test(arguments: [
        ("slug: a\nupstream: http://x\nprice_sats: 0", #"{"slug":"a","upstream":"http://x","price_sats":0}"#, "price_sats"),
        ("slug: a b\nupstream: http://x\nprice_sats: 1", #"{"slug":"a b","upstream":"http://x","price_sats":1}"#, "slug"),
        ("slug: a\nupstream: http://x#f\nprice_sats: 1", #"{"slug":"a","upstream":"http://x#f","price_sats":1}"#, "upstream"),
        ("slug: a\nupstream: http://x\nprice_sats: 1\ncalls: 2000000000", #"{"slug":"a","upstream":"http://x","price_sats":1,"calls":2000000000}"#, "calls"),
        ("slug: a\nupstream: http://x\nprice_sats: 1\nfree_calls_per_day: 1000001", #"{"slug":"a","upstream":"http://x","price_sats":1,"free_calls_per_day":1000001}"#, "free_calls_per_day"),
        ("slug: a\nupstream: http://x\nprice_sats: 1\nschemes: [l402, bolt12]", #"{"slug":"a","upstream":"http://x","price_sats":1,"schemes":["l402","bolt12"]}"#, "schemes"),
        ("slug: a\nupstream: http://x\nprice_sats: 1\nschemes: []", #"{"slug":"a","upstream":"http://x","price_sats":1,"schemes":[]}"#, "schemes"),
        ("slug: a\nupstream: http://x\nprice_sats: 1\nschemes: [payment, payment]", #"{"slug":"a","upstream":"http://x","price_sats":1,"schemes":["payment","payment"]}"#, "schemes"),
        ("slug: a\nupstream: http://x\nprice_sats: 1\nprices:\n  - method: G3T\n    price_sats: 1", #"{"slug":"a","upstream":"http://x","price_sats":1,"prices":[{"method":"G3T","price_sats":1}]}"#, "prices[0].method"),
    ])
    func theSameMistakeGetsTheSameReason(yaml: String, json: String, field: String) throws {
        var yamlReason = "", jsonReason = ""
        do { _ = try Self.fromYAML(yaml) } catch {
            #expect(error.field == "tools[0].\(field)")
            yamlReason = error.reason
        }
        do { _ = try Self.fromJSON(json) } catch let error as AdminFailure {
            guard case .invalidField(let name, let reason) = error else { throw error }
            #expect(name == field)
            jsonReason = reason
        }
        #expect(!yamlReason.isEmpty && yamlReason == jsonReason, "YAML: \(yamlReason) / JSON: \(jsonReason)")
    }

    @Test func schemesDefaultToBothAndNameWhatIsWrong() throws {
        #expect(try Self.fromYAML("slug: a\nupstream: http://x\nprice_sats: 1").schemes == [.l402, .payment])
        // Written in any order, kept in the order offers are written.
        #expect(try Self.fromJSON(#"{"slug":"a","upstream":"http://x","price_sats":1,"schemes":["payment","L402"]}"#).schemes == [.l402, .payment])
        do {
            _ = try Self.fromYAML("slug: a\nupstream: http://x\nprice_sats: 1\nschemes: [l402, bolt12]")
            Issue.record("an unknown scheme was accepted")
        } catch {
            #expect(error.reason == "unknown payment scheme 'bolt12': expected `l402` or `payment`")
        }
    }
}
