import Foundation
import L402
import Storage
import Testing

/// MCP tools in both stores: the tool's MCP pricing, the ledger's MCP tool and the revenue per MCP tool.
@Suite struct MCPStorageTests {
    @Test(arguments: StoreKind.allCases)
    func anMCPToolAndItsCallsRoundTrip(_ kind: StoreKind) async throws {
        let store = try kind.make()
        var tool = ToolConfiguration(
            slug: "research", upstream: URL(string: "http://127.0.0.1:8000")!, priceSats: 10,
            mcp: MCPPricing(prices: ["search": 5, "summarize": 40], freeTools: ["echo"], tokenScope: .anyTool))
        #expect(try await store.addTool(tool))
        #expect(try await store.tool(slug: "research") == tool)
        tool.mcp = MCPPricing(prices: ["search": 6])
        #expect(try await store.updateTool(tool))
        #expect(try await store.tool(slug: "research") == tool)
        tool.mcp = nil  // back to a plain HTTP tool
        #expect(try await store.updateTool(tool))
        #expect(try await store.tool(slug: "research")?.mcp == nil)

        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for (mcpTool, sats, outcome) in [("search", 5, "paid"), ("search", 5, "paid"), ("fail", 0, "upstream_error"), (nil, 7, "paid")] {
            try await store.record(Invocation(
                time: now, tool: mcpTool == nil ? "web" : "research", tokenID: nil, sats: UInt64(sats), upstreamStatus: 200, latencyMs: 1,
                outcome: outcome, mcpTool: mcpTool))
        }
        let rows = try await store.invocations(tool: "research", since: nil, until: nil, limit: 10, offset: 0)
        #expect(rows.compactMap(\.mcpTool).sorted() == ["fail", "search", "search"])
        #expect(try await store.mcpToolUsage(since: nil, until: nil) == [
            MCPToolUsage(tool: "research", mcpTool: "fail", calls: 1, paidCalls: 0, sats: 0),
            MCPToolUsage(tool: "research", mcpTool: "search", calls: 2, paidCalls: 2, sats: 10),
        ])
        #expect(try await store.mcpToolUsage(since: now.addingTimeInterval(1), until: nil).isEmpty)
    }
}
