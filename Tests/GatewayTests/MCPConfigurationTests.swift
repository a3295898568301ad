import Foundation
import L402Admin
import L402
import Testing

@testable import Gateway

/// MCP tools in the config file and the admin API (one set of rules), the `mcp_tool` caveat, and
/// the reading of JSON-RPC bodies and SSE answers.
@Suite struct MCPConfigurationTests {
    private static func fromYAML(_ yaml: String) throws(ConfigurationError) -> ToolConfiguration {
        try ConfigurationLoader.parse("tools:\n  - " + yaml.replacingOccurrences(of: "\n", with: "\n    ")).tools[0]
    }

    private static func fromJSON(_ json: String) throws -> ToolConfiguration {
        try ToolReader.tool(JSONField(value: try JSONValue.parse(Array(json.utf8)), path: ""))
    }

    @Test func anMCPToolReadsTheSameFromYAMLAndJSON() throws {
        let yaml = """
            slug: research
            kind: mcp
            upstream: http://127.0.0.1:8000
            price_sats: 10
            mcp_prices: {search: 5, summarize: 40}
            free_mcp_tools: [echo]
            mcp_token_scope: any
            """
        let json = #"""
            {"slug":"research","kind":"mcp","upstream":"http://127.0.0.1:8000","price_sats":10,
             "mcp_prices":{"search":5,"summarize":40},"free_mcp_tools":["echo"],"mcp_token_scope":"any"}
            """#
        let expected = ToolConfiguration(
            slug: "research", upstream: URL(string: "http://127.0.0.1:8000")!, priceSats: 10,
            mcp: MCPPricing(prices: ["search": 5, "summarize": 40], freeTools: ["echo"], tokenScope: .anyTool))
        #expect(try Self.fromYAML(yaml) == expected)
        #expect(try Self.fromJSON(json) == expected)
        let echoed = String(decoding: try JSONEncoder().encode(AdminTool(expected)), as: UTF8.self)
        #expect(try Self.fromJSON(echoed) == expected)
        #expect(expected.mcp?.price(of: "search", defaultSats: 10) == 5)
        #expect(expected.mcp?.price(of: "echo", defaultSats: 10) == 0)
        #expect(expected.mcp?.price(of: "other", defaultSats: 10) == 10)
    }

    @Test(arguments: [
        ("slug: a\nupstream: http://x\nprice_sats: 1\nkind: grpc", "kind"),
        ("slug: a\nupstream: http://x\nprice_sats: 1\nmcp_prices: {search: 5}", "mcp_prices"),
        ("slug: a\nupstream: http://x\nprice_sats: 1\nkind: mcp\nmcp_prices: {search: 0}", "mcp_prices.search"),
        ("slug: a\nupstream: http://x\nprice_sats: 1\nkind: mcp\nfree_mcp_tools: ['a,b']", "free_mcp_tools[0]"),
        ("slug: a\nupstream: http://x\nprice_sats: 1\nkind: mcp\nmcp_token_scope: some", "mcp_token_scope"),
    ])
    func mistakesNameTheirField(yaml: String, field: String) {
        do {
            _ = try Self.fromYAML(yaml)
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.field == "tools[0].\(field)")
        }
    }

    @Test func theMCPToolCaveatAdmitsOnlyItsTools() throws {
        let caveat = try L402Caveat(predicate: "mcp_tool=search,summarize")
        #expect(caveat == .mcpTools(["search", "summarize"]))
        #expect(caveat.predicate == "mcp_tool=search,summarize")
        func request(_ tools: [String]) -> ProtectedRequest { ProtectedRequest(tool: "t", method: "POST", path: "/mcp", mcpTools: tools) }
        #expect(throws: Never.self) { try caveat.check(request(["search"])) }
        #expect(throws: Never.self) { try caveat.check(request(["search", "summarize"])) }
        #expect(throws: AuthenticationFailure.self) { try caveat.check(request(["search", "delete"])) }
        #expect(throws: AuthenticationFailure.self) { try caveat.check(request([])) }  // not an MCP call
        #expect(throws: AuthenticationFailure.self) { try L402Caveat(predicate: "mcp_tool=") }
    }

    @Test func aBodyKeepsItsCredentialFromTheUpstream() throws {
        let bytes = Array(#"{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"search","_meta":{"org.l402/credential":"L402 m:p","progressToken":1}}}"#.utf8)
        let body = try MCPRequestBody(bytes)
        #expect(body.toolCalls == [.init(id: "s:a", name: "search")])
        #expect(body.metaCredential == "L402 m:p")
        let forwarded = String(decoding: body.forwardedBytes(original: bytes), as: UTF8.self)
        #expect(!forwarded.contains("org.l402/credential"))
        #expect(forwarded.contains("progressToken"))
    }

    @Test func eventsAreCutAtBlankLinesWhateverTheChunks() throws {
        let stream = Array("event: message\r\ndata: {\"a\":1}\r\n\r\ndata: x\ndata: y\n\n: comment\n".utf8)
        for size in [1, 3, 7, stream.count] {
            var events = ServerSentEvents()
            var whole: [[UInt8]] = []
            var index = 0
            while index < stream.count {
                whole += try events.append(stream[index..<min(index + size, stream.count)])
                index += size
            }
            #expect(whole.count == 2)
            #expect(ServerSentEvents.data(of: whole[0]).map { String(decoding: $0, as: UTF8.self) } == #"{"a":1}"#)
            #expect(ServerSentEvents.data(of: whole[1]).map { String(decoding: $0, as: UTF8.self) } == "x\ny")
            #expect(String(decoding: events.remainder, as: UTF8.self) == ": comment\n")
            let replaced = ServerSentEvents.replacingData(of: whole[0], with: Array("{}".utf8))
            #expect(String(decoding: replaced, as: UTF8.self) == "event: message\ndata: {}\n\n")
        }
    }
}
