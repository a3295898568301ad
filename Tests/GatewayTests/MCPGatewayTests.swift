import Foundation
import Hummingbird
import L402
import NIOCore
import Synchronization
import Testing
import TestSupport

@testable import Gateway

/// Paid MCP tools (`kind: mcp`) with peers we did not write: the official Python MCP SDK as the
/// client, in front of its FastMCP server (Peers/mcp_client.py, Peers/mcp_upstream.py).
@Suite(.serialized) struct MCPGatewayTests {
    /// `search` 5 sats, `summarize` 40, everything else 10 (`fail` included); `echo`, `release`
    /// and `wait_for_release` free; tokens for one MCP tool.
    static func tool(port: Int) -> ToolConfiguration {
        ToolConfiguration(
            slug: "paid", upstream: URL(string: "http://127.0.0.1:\(port)")!, priceSats: 10,
            mcp: MCPPricing(prices: ["search": 5, "summarize": 40], freeTools: ["echo", "release", "wait_for_release"]))
    }

    @Test func pythonClientPaysHTTP402sAndUpstreamErrorsAreNotSpent() async throws {
        try await PythonMCP.withUpstream(json: false) { port in
            try await GatewayHarness.with(upstreams: [], tools: { _ in [Self.tool(port: port)] }) { gateway in
                let report = try await PythonMCP.client("http", url: gateway.base + "/paid/mcp", gateway: gateway.base)
                #expect(report["tools"] as? [String] == ["echo", "fail", "release", "search", "summarize", "wait_for_release"])
                #expect(report["payments_after_list"] as? Int == 0)
                #expect(report["search"] as? String == "results for lightning")
                #expect(report["summarize"] as? String == "summary: one two three")
                #expect(report["echo"] as? String == "free")
                let payments = try #require(report["payments"] as? [[String: Any]])
                #expect(payments.map { $0["amount_sats"] as? Int } == [5, 40, 10])
                let failed = try #require(report["fail"] as? [String: Any])
                #expect(failed["is_error"] as? Bool == true)
                // SSE: the progress notification reached the client while the call was still open.
                let streamed = try #require(report["streamed"] as? [String: Any])
                #expect(streamed["text"] as? String == "released")
                #expect((streamed["progress"] as? [Double])?.isEmpty == false)

                let replay = try #require(report["replay"] as? [String: Any])
                #expect(replay["status"] as? Int == 402)
                #expect((replay["body"] as? [String: Any])?["error"] as? String == "token_spent")
                // The `fail` call's token was not spent: the same credential is accepted again.
                let again = try #require(report["failed_credential_again"] as? [String: Any])
                #expect(again["status"] as? Int == 200)
                #expect(((again["body"] as? [String: Any])?["result"] as? [String: Any])?["isError"] as? Bool == true)
                // A token bought for `summarize` does not pay for `search` (mcp_tool caveat).
                let other = try #require(report["other_tool"] as? [String: Any])
                #expect(other["status"] as? Int == 401)
                #expect((other["body"] as? [String: Any])?["error"] as? String == "not_allowed")
                #expect(report["payments_total"] as? Int == 3)

                let rows = try await gateway.invocations(tool: "paid")
                let summary = rows.reversed().map { "\($0.mcpTool ?? "-") \($0.outcome) \($0.sats)" }
                #expect(summary == ["search paid 5", "summarize paid 40", "fail upstream_error 0", "fail upstream_error 0"])
                // Revenue per MCP tool, as the dashboard reads it.
                let usage = try await gateway.store().mcpToolUsage(since: nil, until: nil)
                #expect(usage == [
                    MCPToolUsage(tool: "paid", mcpTool: "fail", calls: 2, paidCalls: 0, sats: 0),
                    MCPToolUsage(tool: "paid", mcpTool: "search", calls: 1, paidCalls: 1, sats: 5),
                    MCPToolUsage(tool: "paid", mcpTool: "summarize", calls: 1, paidCalls: 1, sats: 40),
                ])
                let page = DashboardPage.render(DashboardSnapshot(
                    generatedAt: Date(), tools: [Self.tool(port: port)], usage: [], latest: rows, mcpTools: usage)).description
                #expect(page.contains(#"data-mcp-tool="summarize"><td><code>/paid/</code></td><td><code>summarize</code></td><td class="num calls">1</td><td class="num paid-calls">1</td><td class="num sats">40</td>"#))
            }
        }
    }

    @Test func pythonClientPaysJSONRPCPaymentRequiredErrors() async throws {
        try await PythonMCP.withUpstream(json: true) { port in
            try await GatewayHarness.with(upstreams: [], tools: { _ in [Self.tool(port: port)] }) { gateway in
                let report = try await PythonMCP.client("mcp", url: gateway.base + "/paid/mcp", gateway: gateway.base)
                let capability = try #require(report["server_payment_capability"] as? [String: Any])
                #expect(capability["credentialMetaKey"] as? String == "org.l402/credential")
                #expect(report["search"] as? String == "results for mcp")
                let receipt = try #require(report["receipt"] as? [String: Any])
                #expect(receipt["status"] as? String == "success")
                #expect(receipt["amount_sats"] as? Int == 5)
                let replay = try #require(report["replay"] as? [String: Any])
                #expect(replay["code"] as? Int == -32042)
                #expect(replay["error"] as? String == "token_spent")
                let forged = try #require(report["forged"] as? [String: Any])
                #expect(forged["code"] as? Int == -32043)
                #expect(forged["error"] as? String == "wrong_preimage")
                #expect(report["echo"] as? String == "free")
                #expect((report["payments"] as? [[String: Any]])?.map { $0["amount_sats"] as? Int } == [5])
                let rows = try await gateway.invocations(tool: "paid")
                #expect(rows.map { "\($0.mcpTool ?? "-") \($0.outcome) \($0.sats)" } == ["search paid 5"])
            }
        }
    }

    @Test func badBodiesNeverReachTheUpstream() async throws {
        let upstream = CountingMCPUpstream()
        try await GatewayHarness.with(
            upstreams: [upstream], configure: { $0.maxBodyBytes = 64 * 1024 },
            tools: { ports in [Self.tool(port: ports[0])] }
        ) { gateway in
            let batch = "[" + (0..<10_000).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"tools/call","params":{"name":"search"}}"# }
                .joined(separator: ",") + "]"
            let cases: [(body: String, status: Int, error: String)] = [
                ("not json", 400, "invalid_json_rpc"),
                (String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000), 400, "invalid_json_rpc"),
                ("42", 400, "invalid_json_rpc"),
                ("[]", 400, "invalid_json_rpc"),
                (#"{"id":1,"method":"tools/call","params":{"name":"search"}}"#, 400, "invalid_json_rpc"),
                (#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}"#, 400, "missing_tool_name"),
                (#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a,b"}}"#, 400, "invalid_tool_name"),
                (#"{"jsonrpc":"2.0","method":"tools/call","params":{"name":"search"}}"#, 400, "invalid_json_rpc"),
                (#"{"jsonrpc":"2.0","id":true,"method":"ping"}"#, 400, "invalid_json_rpc"),
                (batch, 413, "body_too_large"),
                ("[" + String(repeating: #"{"jsonrpc":"2.0","method":"ping"},"#, count: 101).dropLast() + "]", 400, "batch_too_large"),
            ]
            for item in cases {
                let response = try await gateway.send(.POST, "/paid/mcp", headers: [("Content-Type", "application/json")], body: item.body)
                #expect(response.status == item.status, "\(item.body.prefix(60))")
                let error = try JSONDecoder().decode(ErrorJSON.self, from: Data(response.body.utf8))
                #expect(error.error == item.error, "\(item.body.prefix(60))")
            }
            #expect(upstream.count == 0)

            // A batch is priced as the sum of its calls; a free method passes without paying.
            let priced = try await gateway.send(
                .POST, "/paid/mcp", body: #"[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search"}},"#
                    + #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"summarize"}}]"#)
            #expect(priced.status == 402)
            #expect(try JSONDecoder().decode(ChallengeJSON.self, from: Data(priced.body.utf8)).amount_sats == 45)
            let free = try await gateway.send(.POST, "/paid/mcp", body: #"{"jsonrpc":"2.0","id":7,"method":"tools/list"}"#)
            #expect(free.status == 200)
            #expect(upstream.count == 1)
        }
    }

    @Test func upstreamFailureReleasesThePaidCall() async throws {
        let upstream = CountingMCPUpstream(failing: true)
        try await GatewayHarness.with(upstreams: [upstream], tools: { ports in [Self.tool(port: ports[0])] }) { gateway in
            let call = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search"}}"#
            let challenge = try await gateway.send(.POST, "/paid/mcp", body: call)
            let offer = try JSONDecoder().decode(ChallengeJSON.self, from: Data(challenge.body.utf8))
            let credential = "L402 \(offer.macaroon):\(try await gateway.pay(offer.invoice))"
            let first = try await gateway.send(.POST, "/paid/mcp", authorization: credential, body: call)
            #expect(first.status == 502)
            upstream.recover()
            let second = try await gateway.send(.POST, "/paid/mcp", authorization: credential, body: call)
            #expect(second.status == 200)
            let third = try await gateway.send(.POST, "/paid/mcp", authorization: credential, body: call)
            #expect(third.status == 402)
            let rows = try await gateway.invocations(tool: "paid")
            #expect(rows.reversed().map { "\($0.mcpTool ?? "-") \($0.outcome) \($0.sats)" } == ["search upstream_error 0", "search paid 5"])

            // The admin API's ledger names the MCP tool.
            let ledger = try await gateway.admin(.GET, "invocations")
            #expect(ledger.body.contains(#""mcp_tool":"search""#))

            // Revenue per MCP tool in the metrics.
            let metrics = try await gateway.send(.GET, "/_l402/metrics", authorization: "Bearer \(GatewayHarness.adminToken)")
            let lines = metrics.body.split(separator: "\n").filter { $0.hasPrefix("l402_mcp_") && $0.contains(#"mcp_tool="search""#) }
            #expect(lines.contains { $0.hasPrefix("l402_mcp_sats_earned_total") && $0.hasSuffix(" 5") })
            #expect(lines.contains { $0.hasPrefix("l402_mcp_calls_total") && $0.contains(#"outcome="paid""#) && $0.hasSuffix(" 1") })
            #expect(lines.contains { $0.hasPrefix("l402_mcp_calls_total") && $0.contains(#"outcome="upstream_error""#) && $0.hasSuffix(" 1") })
        }
    }
}

/// An MCP upstream that counts the requests reaching it and answers every call with a result (or
/// 500 while failing).
final class CountingMCPUpstream: HTTPResponder, Sendable {
    typealias Context = BasicRequestContext
    private let state: Mutex<(count: Int, failing: Bool)>

    init(failing: Bool = false) { state = Mutex((0, failing)) }

    var count: Int { state.withLock { $0.count } }
    func recover() { state.withLock { $0.failing = false } }

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let failing = state.withLock { state in
            state.count += 1
            return state.failing
        }
        if failing { return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "boom"))) }
        let body = #"{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"ok"}]}}"#
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// The Python MCP SDK peers (PyPI `mcp` 1.x; `make test-deps` installs it).
enum PythonMCP {
    static let peers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers")

    /// Runs the FastMCP server (JSON answers with `json`, else SSE) for the duration of `body`.
    static func withUpstream<T: Sendable>(json: Bool, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let server = try RunningProcess("python3", [peers.appendingPathComponent("mcp_upstream.py").path] + (json ? ["--json"] : []))
        do {
            guard let port = Int(try await server.waitForOutput(matching: #"listening (\d+)"#)) else {
                throw Subprocess.Failure(description: "the MCP upstream printed no port")
            }
            let result = try await body(port)
            try await server.terminate()
            return result
        } catch {
            _ = try? await server.terminate()
            throw error
        }
    }

    /// Runs the Python MCP client scenario `mode` and returns its JSON report.
    static func client(_ mode: String, url: String, gateway: String) async throws -> [String: Any] {
        let result = try await Subprocess.runInBackground("python3", [peers.appendingPathComponent("mcp_client.py").path, mode, url, gateway])
        guard result.status == 0,
            let report = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        else {
            throw Subprocess.Failure(description: "mcp_client.py \(mode) exited \(result.status): \(result.stdout)\n\(result.stderr)")
        }
        return report
    }
}
