import L402
import Foundation
import L402Admin
import Gateway
import NIOHTTP1
import Storage
import Testing

/// `/_l402/admin/tools…` against a real gateway: what the registry holds and what the request path serves.
@Suite struct AdminToolsAPITests {
    static func weather(_ ports: [Int]) -> [ToolConfiguration] {
        [ToolConfiguration(slug: "weather", upstream: URL(string: "http://127.0.0.1:\(ports[0])")!, priceSats: 10, calls: 2)]
    }

    /// Every admin route, as (method, path, body).
    static let routes: [(HTTPMethod, String, String?)] = [
        (.GET, "tools", nil), (.POST, "tools", #"{"slug":"x","upstream":"http://127.0.0.1:9","price_sats":1}"#),
        (.GET, "tools/weather", nil), (.PUT, "tools/weather", #"{"upstream":"http://127.0.0.1:9","price_sats":1}"#),
        (.PATCH, "tools/weather", #"{"price_sats":1}"#), (.POST, "tools/weather/disable", nil), (.POST, "tools/weather/enable", nil),
        (.GET, "invocations", nil), (.GET, "usage", nil), (.POST, "tokens/\(String(repeating: "ab", count: 32))/revoke", nil),
    ]

    @Test func everyRouteWantsTheAdminToken() async throws {
        try await GatewayHarness.with(tools: Self.weather) { gateway in
            for (method, path, body) in Self.routes {
                for token in [nil, "wrong-token-wrong-token-wrong-token", GatewayHarness.adminToken + "x"] {
                    let response = try await gateway.admin(method, path, body: body, token: token)
                    #expect(response.status == 401, "\(method) \(path) with \(token ?? "no token")")
                    #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(response.body.utf8)).error == "unauthorized")
                    #expect(response.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
                }
                // An L402 credential is not an admin token either.
                let l402 = try await gateway.operatorListener.send(method, "/_l402/admin/" + path, authorization: "L402 \(GatewayHarness.adminToken)", body: body)
                #expect(l402.status == 401)
            }
            // Nothing above changed the registry.
            let tools = try await gateway.admin(.GET, "tools", as: AdminToolList.self).tools
            #expect(tools.map(\.slug) == ["weather"] && tools[0].priceSats == 10 && tools[0].enabled)
        }
    }

    @Test func listShowsTheSeededTool() async throws {
        try await GatewayHarness.with(tools: Self.weather) { gateway in
            let list = try await gateway.admin(.GET, "tools", as: AdminToolList.self)
            #expect(list.tools.count == 1)
            let tool = try #require(list.tools.first)
            #expect(tool.slug == "weather" && tool.priceSats == 10 && tool.calls == 2 && tool.enabled && tool.freeCallsPerDay == 0)
            #expect(tool.upstream.hasPrefix("http://127.0.0.1:"))
            let one = try await gateway.admin(.GET, "tools/weather", as: AdminTool.self)
            #expect(one == tool)
        }
    }

    @Test func anAddedToolIsServedAtOnceAndItsSlugCannotBeTakenTwice() async throws {
        try await GatewayHarness.with(tools: Self.weather) { gateway in
            #expect(try await gateway.send(.GET, "/maps/tile").status == 404)
            let upstream = try await gateway.admin(.GET, "tools/weather", as: AdminTool.self).upstream
            let body = #"{"slug":"maps","upstream":"\#(upstream)","price_sats":3,"description":"map tiles","prices":[{"method":"post","price_sats":9}]}"#
            let added = try await gateway.admin(.POST, "tools", body: body, expecting: 201, as: AdminTool.self)
            #expect(added.slug == "maps" && added.priceSats == 3 && added.prices == [PriceRule(method: "POST", priceSats: 9)])

            let challenge = try await gateway.challenge("/maps/tile")
            #expect(challenge.tool == "maps" && challenge.amount_sats == 3)
            #expect(try await gateway.challenge("/maps/tile", method: .POST).amount_sats == 9)
            let token = try await gateway.buy("/maps/tile")
            #expect(try await gateway.send(.GET, "/maps/tile", authorization: "L402 \(token.macaroon):\(token.preimage)").status == 200)

            let again = try await gateway.admin(.POST, "tools", body: body)
            #expect(again.status == 409)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(again.body.utf8)).error == "tool_exists")
            #expect(try await gateway.admin(.GET, "tools", as: AdminToolList.self).tools.map(\.slug) == ["maps", "weather"])
        }
    }

    /// Bad fields are 400 `invalid_field` naming the field; nothing is registered.
    @Test(arguments: [
        (#"{"slug":"a","upstream":"http://x","price_sats":"ten"}"#, "price_sats", "whole number"),
        (#"{"slug":"a","upstream":"http://x","price_sats":0}"#, "price_sats", "out of range"),
        (#"{"slug":"a","upstream":"http://x","price_sats":1.5}"#, "price_sats", "whole number"),
        (#"{"slug":"a","upstream":"ftp://x","price_sats":1}"#, "upstream", "http"),
        (#"{"slug":"a","upstream":"http://x?q=1","price_sats":1}"#, "upstream", "query"),
        (#"{"slug":"a/b","upstream":"http://x","price_sats":1}"#, "slug", "not a valid slug"),
        (#"{"slug":"_l402","upstream":"http://x","price_sats":1}"#, "slug", "not a valid slug"),
        (#"{"upstream":"http://x","price_sats":1}"#, "body", "missing `slug`"),
        (#"{"slug":"a","price_sats":1}"#, "body", "missing `upstream`"),
        (#"{"slug":"a","upstream":"http://x","price_sats":1,"pricee":3}"#, "pricee", "unknown field"),
        (#"{"slug":"a","upstream":"http://x","price_sats":1,"calls":0}"#, "calls", "out of range"),
        (#"{"slug":"a","upstream":"http://x","price_sats":1,"valid_for":-1}"#, "valid_for", "out of range"),
        (#"{"slug":"a","upstream":"http://x","price_sats":1,"enabled":"yes"}"#, "enabled", "true or false"),
        (#"{"slug":"a","upstream":"http://x","price_sats":1,"free_calls_per_day":-2}"#, "free_calls_per_day", "out of range"),
        (#"{"slug":"a","upstream":"http://x","price_sats":1,"prices":[{"price_sats":2}]}"#, "prices[0]", "needs `method`"),
        (#"{"slug":"a","upstream":"http://x","price_sats":1,"prices":[{"method":"GET","path_prefix":"x","price_sats":2}]}"#, "prices[0].path_prefix", "must start with '/'"),
        (#"{"slug":"a","upstream":"http://x","price_sats":1,"prices":{"method":"GET"}}"#, "prices", "array"),
        (#"["slug","a"]"#, "body", "object"),
    ])
    func badFieldsAreNamed(body: String, field: String, reason: String) async throws {
        try await GatewayHarness.with(tools: Self.weather) { gateway in
            let response = try await gateway.admin(.POST, "tools", body: body)
            #expect(response.status == 400, "\(response.body)")
            let error = try JSONDecoder().decode(ErrorJSON.self, from: Data(response.body.utf8))
            #expect(error.error == "invalid_field" && error.field == field, "\(response.body)")
            #expect(error.message.contains(reason), "\(response.body)")
            #expect(try await gateway.admin(.GET, "tools", as: AdminToolList.self).tools.count == 1)
        }
    }

    @Test func aTooLongDescriptionIsRefused() async throws {
        try await GatewayHarness.with(tools: Self.weather) { gateway in
            let long = String(repeating: "d", count: 640)
            let response = try await gateway.admin(.PATCH, "tools/weather", body: #"{"description":"\#(long)"}"#)
            let error = try JSONDecoder().decode(ErrorJSON.self, from: Data(response.body.utf8))
            #expect(response.status == 400 && error.field == "description" && error.message.contains("639 bytes"))
        }
    }

    @Test func badJSONAndOversizedBodiesAreRefused() async throws {
        try await GatewayHarness.with(tools: Self.weather) { gateway in
            for body in ["{", "", "slug=a", #"{"slug": }"#, #"{"slug":"a"} x"#] {
                let response = try await gateway.admin(.POST, "tools", body: body)
                #expect(response.status == 400, "\(body): \(response.body)")
                #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(response.body.utf8)).error == "bad_json", "\(body)")
            }
            let huge = #"{"slug":"a","upstream":"http://x","price_sats":1,"description":"\#(String(repeating: "x", count: 70_000))"}"#
            let response = try await gateway.admin(.POST, "tools", body: huge)
            #expect(response.status == 413)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(response.body.utf8)).error == "body_too_large")
        }
    }

    @Test func unknownSlugsAndRoutesAre404() async throws {
        try await GatewayHarness.with(tools: Self.weather) { gateway in
            let requests: [(HTTPMethod, String, String?)] = [
                (.GET, "tools/nope", nil), (.PUT, "tools/nope", #"{"upstream":"http://x","price_sats":1}"#),
                (.PATCH, "tools/nope", #"{"price_sats":1}"#), (.POST, "tools/nope/disable", nil), (.POST, "tools/nope/enable", nil),
            ]
            for (method, path, body) in requests {
                let response = try await gateway.admin(method, path, body: body)
                #expect(response.status == 404, "\(method) \(path)")
                #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(response.body.utf8)).error == "unknown_tool")
            }
            for (method, path) in [(HTTPMethod.DELETE, "tools/weather"), (.GET, "tools/weather/disable"), (.GET, "nothing"), (.GET, "")] {
                let response = try await gateway.admin(method, path)
                #expect(response.status == 404, "\(method) \(path)")
                #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(response.body.utf8)).error == "not_found")
            }
        }
    }

    @Test func putReplacesEveryFieldAndPatchOnlyTheGivenOnes() async throws {
        try await GatewayHarness.with(tools: Self.weather) { gateway in
            let upstream = try await gateway.admin(.GET, "tools/weather", as: AdminTool.self).upstream
            let patched = try await gateway.admin(
                .PATCH, "tools/weather", body: #"{"price_sats":12,"valid_for":600,"description":"forecasts"}"#, as: AdminTool.self)
            #expect(patched.priceSats == 12 && patched.calls == 2 && patched.validFor == 600 && patched.description == "forecasts")
            #expect(try await gateway.challenge("/weather/today").amount_sats == 12)

            let cleared = try await gateway.admin(.PATCH, "tools/weather", body: #"{"valid_for":null,"slug":"weather"}"#, as: AdminTool.self)
            #expect(cleared.validFor == nil && cleared.description == "forecasts" && cleared.priceSats == 12)

            let replaced = try await gateway.admin(.PUT, "tools/weather", body: #"{"upstream":"\#(upstream)","price_sats":4}"#, as: AdminTool.self)
            #expect(replaced.priceSats == 4 && replaced.calls == 1 && replaced.description == nil && replaced.validFor == nil)
            #expect(try await gateway.admin(.GET, "tools/weather", as: AdminTool.self) == replaced)
            #expect(try await gateway.challenge("/weather/today").amount_sats == 4)

            for (method, body) in [(HTTPMethod.PATCH, #"{"slug":"rain"}"#), (.PUT, #"{"slug":"rain","upstream":"http://x","price_sats":1}"#)] {
                let rename = try await gateway.admin(method, "tools/weather", body: body)
                let error = try JSONDecoder().decode(ErrorJSON.self, from: Data(rename.body.utf8))
                #expect(rename.status == 400 && error.field == "slug", "\(rename.body)")
            }
            let badPatch = try await gateway.admin(.PATCH, "tools/weather", body: #"{"price_sats":-1}"#)
            #expect(badPatch.status == 400)
            #expect(try await gateway.admin(.GET, "tools/weather", as: AdminTool.self).priceSats == 4)
        }
    }

    @Test func aDisabledToolAnswers404UntilEnabled() async throws {
        try await GatewayHarness.with(tools: Self.weather) { gateway in
            let token = try await gateway.buy("/weather/today")
            let disabled = try await gateway.admin(.POST, "tools/weather/disable", as: AdminTool.self)
            #expect(!disabled.enabled)
            for authorization in [nil, "L402 \(token.macaroon):\(token.preimage)"] {
                let response = try await gateway.send(.GET, "/weather/today", authorization: authorization)
                #expect(response.status == 404)
                #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(response.body.utf8)).error == "tool_disabled")
            }
            #expect(try await gateway.admin(.GET, "tools", as: AdminToolList.self).tools.first?.enabled == false)

            #expect(try await gateway.admin(.POST, "tools/weather/enable", as: AdminTool.self).enabled)
            #expect(try await gateway.send(.GET, "/weather/today", authorization: "L402 \(token.macaroon):\(token.preimage)").status == 200)
        }
    }
}
