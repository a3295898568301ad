import Foundation
import L402Client
import MCP
import NIOHTTP1

/// `call_paid_mcp_tool`: one tool call on a remote MCP server over Streamable HTTP (initialize,
/// initialized, tools/call, end of session), every POST through the paying client, so a 402 is
/// paid within the budget and the host allowlist like any `fetch`.
///
/// It declares `capabilities.experimental.payment` (draft-payment-transport-mcp), so a server may
/// ask inside MCP instead: a `-32042` error whose `data.l402` holds the L402 offer is paid under the
/// same checks and the call sent again with the credential in `_meta["org.l402/credential"]`.
struct PaidMCPCall {
    let agent: AgentTools

    func call(_ arguments: [String: Value]) async throws -> CallTool.Result {
        guard let text = arguments["server_url"]?.stringValue, let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
            throw AgentTools.Refusal("`server_url` must be an absolute http(s) URL")
        }
        guard let tool = arguments["tool"]?.stringValue, !tool.isEmpty else { throw AgentTools.Refusal("`tool` names the MCP tool to call") }
        let maxSats = try AgentTools.sats(arguments["max_sats"])

        let initialize: Value = .object([
            "protocolVersion": "2025-06-18",
            "capabilities": .object(["experimental": .object(["payment": .object(["methods": .object(["lightning": .object(["intents": .array(["charge"])])])])])]),
            "clientInfo": .object(["name": "l402-mcp", "version": "1.0.0"]),
        ])
        let (initialized, session) = try await post(url, session: nil, message: Self.request(id: 1, "initialize", initialize), maxSats: 0)
        guard initialized["result"] != nil else { throw AgentTools.Refusal("the MCP server refused initialize: \(Self.describe(initialized["error"]))") }
        _ = try await post(url, session: session, message: ["jsonrpc": "2.0", "method": "notifications/initialized"], maxSats: 0)
        let params: [String: Value] = ["name": .string(tool), "arguments": .object(arguments["arguments"]?.objectValue ?? [:])]
        var (answer, _) = try await post(url, session: session, message: Self.request(id: 2, "tools/call", .object(params)), maxSats: maxSats)
        if let offer = Self.paymentRequired(answer) {
            let credential = try await agent.pay(wwwAuthenticate: offer.wwwAuthenticate, body: offer.body, for: url, maxSats: maxSats)
            var paid = params
            paid["_meta"] = .object([Self.credentialKey: .string(credential)])
            (answer, _) = try await post(url, session: session, message: Self.request(id: 3, "tools/call", .object(paid)), maxSats: 0)
        }
        if let session { await endSession(url, session: session) }

        if let error = answer["error"] as? [String: Any] {
            throw AgentTools.Refusal("the MCP tool \(tool) answered an error: \(Self.describe(error))")
        }
        guard let result = answer["result"] else { throw AgentTools.Refusal("the MCP server's answer has no result") }
        let data = try JSONSerialization.data(withJSONObject: result)
        return try JSONDecoder().decode(CallTool.Result.self, from: data)
    }

    /// The `_meta` key of an L402 credential in an MCP request (docs/mcp.md).
    static let credentialKey = "org.l402/credential"

    /// The L402 offer of a `-32042` Payment Required error: its challenge values and its JSON.
    private static func paymentRequired(_ answer: [String: Any]) -> (wwwAuthenticate: [String], body: [UInt8])? {
        guard let error = answer["error"] as? [String: Any], error["code"] as? Int == -32042,
            var offer = (error["data"] as? [String: Any])?["l402"] as? [String: Any],
            let challenges = offer.removeValue(forKey: "www_authenticate") as? [String],
            let body = try? JSONSerialization.data(withJSONObject: offer)
        else { return nil }
        return (challenges, Array(body))
    }

    private static func request(id: Int, _ method: String, _ params: Value) -> [String: Any] {
        let data = (try? JSONEncoder().encode(params)) ?? Data("{}".utf8)
        return ["jsonrpc": "2.0", "id": id, "method": method, "params": (try? JSONSerialization.jsonObject(with: data)) ?? [:]]
    }

    /// POSTs one message; returns the JSON-RPC answer (from JSON or from the SSE stream; empty for
    /// a notification) and the session id the server named.
    private func post(_ url: URL, session: String?, message: [String: Any], maxSats: UInt64?) async throws -> ([String: Any], String?) {
        var request = L402Request(url: url, method: "POST")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, text/event-stream")
        request.headers.add(name: "MCP-Protocol-Version", value: "2025-06-18")
        if let session { request.headers.add(name: "Mcp-Session-Id", value: session) }
        request.body = Array(try JSONSerialization.data(withJSONObject: message))
        let response = try await agent.send(request, maxSats: maxSats)
        guard response.status < 400 else {
            throw AgentTools.Refusal("the MCP server answered HTTP \(response.status): \(String(decoding: response.body.prefix(500), as: UTF8.self))")
        }
        let named = response.headers.first(name: "mcp-session-id") ?? session
        guard message["id"] != nil else { return ([:], named) }
        let isStream = response.headers.first(name: "content-type")?.lowercased().hasPrefix("text/event-stream") == true
        let texts = isStream ? Self.eventData(response.body) : [response.body]
        for text in texts {
            if let object = try? JSONSerialization.jsonObject(with: Data(text)) as? [String: Any],
                object["method"] == nil, (object["id"] as? Int) == (message["id"] as? Int)
            {
                return (object, named)
            }
        }
        throw AgentTools.Refusal("the MCP server's answer holds no JSON-RPC response to \(message["method"] ?? "the request")")
    }

    private func endSession(_ url: URL, session: String) async {
        var request = L402Request(url: url, method: "DELETE")
        request.headers.add(name: "Mcp-Session-Id", value: session)
        _ = try? await agent.send(request, maxSats: 0)
    }

    /// The `data` of each event of an SSE body.
    private static func eventData(_ body: [UInt8]) -> [[UInt8]] {
        String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").compactMap { event in
            let lines = event.split(separator: "\n").filter { $0.hasPrefix("data:") }.map { $0.dropFirst(5).drop { $0 == " " } }
            return lines.isEmpty ? nil : Array(lines.joined(separator: "\n").utf8)
        }
    }

    private static func describe(_ value: Any?) -> String {
        guard let value, let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]) else { return "(none)" }
        return String(decoding: data, as: UTF8.self)
    }
}
