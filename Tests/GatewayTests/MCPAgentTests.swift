import Foundation
import L402
import Testing
import TestSupport

@testable import Gateway

/// `l402 mcp` (the stdio MCP server for agents) driven by the official Python MCP SDK's client
/// (Peers/mcp_agent.py), against a real gateway with two HTTP tools and a paid MCP tool.
@Suite struct MCPAgentTests {
    @Test func pythonClientDrivesTheAgentServer() async throws {
        try await PythonMCP.withUpstream(json: false) { mcpPort in
            try await GatewayHarness.with(
                tools: { ports in
                    [
                        ToolConfiguration(slug: "cheap", upstream: URL(string: "http://127.0.0.1:\(ports[0])")!, priceSats: 7),
                        ToolConfiguration(slug: "dear", upstream: URL(string: "http://127.0.0.1:\(ports[0])")!, priceSats: 100),
                        MCPGatewayTests.tool(port: mcpPort),
                    ]
                }
            ) { gateway in
                let tokens = FileManager.default.temporaryDirectory.appendingPathComponent("l402-agent-\(UUID().uuidString)").path
                defer { try? FileManager.default.removeItem(atPath: tokens) }
                let result = try await Subprocess.runInBackground(
                    "python3", [PythonMCP.peers.appendingPathComponent("mcp_agent.py").path, try Subprocess.l402Binary, gateway.base, tokens])
                guard result.status == 0, let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
                    Issue.record("mcp_agent.py exited \(result.status): \(result.stdout)\n\(result.stderr)")
                    return
                }
                #expect(report["tools"] as? [String] == ["budget", "call_paid_mcp_tool", "fetch", "tokens"])

                let fetched = try #require((report["fetch"] as? [String: Any]))
                #expect(fetched["is_error"] as? Bool == false)
                let page = try #require(fetched["value"] as? [String: Any])
                #expect(page["status"] as? Int == 200)
                #expect(page["paid_sats"] as? Int == 7)
                #expect((page["body"] as? String)?.contains("/hello") == true)

                for (key, words) in [("over_budget", "per-call limit of 50"), ("over_call_max", "per-call limit of 3"), ("other_host", "not allowed")] {
                    let refused = try #require(report[key] as? [String: Any])
                    #expect(refused["is_error"] as? Bool == true, "\(key)")
                    #expect((refused["value"] as? String)?.contains(words) == true, "\(key): \(refused["value"] ?? "")")
                }
                let tool = try #require(report["mcp_tool"] as? [String: Any])
                #expect(tool["is_error"] as? Bool == false)
                #expect(tool["value"] as? String == "results for agents")

                let budget = try #require((report["budget"] as? [String: Any])?["value"] as? [String: Any])
                #expect(budget["spent_sats"] as? Int == 12)
                #expect(budget["remaining_sats"] as? Int == 48)
                let origins = try #require(((report["tokens"] as? [String: Any])?["value"] as? [String: Any])?["origins"] as? [String: [[String: Any]]])
                // Paid with the Payment scheme where it buys as much as L402 (the client's default), whose tokens name no tool.
                #expect(origins[gateway.base]?.compactMap { $0["amount_sats"] as? Int }.sorted() == [5, 7])
                #expect((report["bad_url"] as? [String: Any])?["is_error"] as? Bool == true)

                // What the gateway was really paid: the cheap fetch and the MCP tool call, nothing refused.
                let rows = try await gateway.invocations()
                #expect(rows.filter { $0.outcome == "paid" }.map(\.sats).sorted() == [5, 7])
            }
        }
    }
}
