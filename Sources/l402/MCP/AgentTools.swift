import Foundation
import L402Client
import MCP
import NIOHTTP1
import Synchronization

/// The tools `l402 mcp` offers an agent, and the limits every payment they make is checked against.
final class AgentTools: Sendable {
    let cache: TokenCache
    let wallet: (any Wallet)?
    let limits: BudgetLimits
    /// Hosts the tools may talk to (lower case); empty: any.
    let allowedHosts: Set<String>
    /// Sats paid by every call so far (the total budget's spent part).
    private let spent = Mutex<UInt64>(0)

    init(cache: TokenCache, wallet: (any Wallet)?, limits: BudgetLimits, allowedHosts: Set<String>) {
        self.cache = cache
        self.wallet = wallet
        self.limits = limits
        self.allowedHosts = allowedHosts
    }

    /// A refusal or failure the agent reads as a tool error.
    struct Refusal: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static let definitions: [Tool] = [
        Tool(
            name: "fetch",
            description: "Fetch an http(s) URL. Pays an L402 402 challenge from the wallet if the price fits the budget. "
                + "Returns status, headers and body (text, or base64 for binary).",
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "url": .object(["type": "string"]),
                    "method": .object(["type": "string", "description": "GET by default, POST when a body is given"]),
                    "headers": .object(["type": "object", "additionalProperties": .object(["type": "string"])]),
                    "body": .object(["type": "string"]),
                    "max_sats": .object(["type": "integer", "description": "Most this call may pay"]),
                ]),
                "required": .array(["url"]),
            ])),
        Tool(
            name: "budget", description: "Satoshis spent so far and remaining of this server's budget.",
            inputSchema: .object(["type": "object", "properties": .object([:])])),
        Tool(
            name: "tokens", description: "The L402 tokens in the cache, per origin (no secrets).",
            inputSchema: .object(["type": "object", "properties": .object([:])])),
        Tool(
            name: "call_paid_mcp_tool",
            description: "Call a tool of a remote paid MCP server (Streamable HTTP), paying its L402 challenge within the budget.",
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "server_url": .object(["type": "string", "description": "The MCP endpoint, e.g. https://host/tool/mcp"]),
                    "tool": .object(["type": "string"]),
                    "arguments": .object(["type": "object"]),
                    "max_sats": .object(["type": "integer"]),
                ]),
                "required": .array(["server_url", "tool"]),
            ])),
    ]

    /// Runs tool `name`; every failure becomes a tool error with its reason.
    func call(_ name: String, arguments: [String: Value]) async -> CallTool.Result {
        do {
            switch name {
            case "fetch": return try await fetch(arguments)
            case "budget": return Self.json(budgetReport())
            case "tokens": return Self.json(try await tokenReport())
            case "call_paid_mcp_tool": return try await PaidMCPCall(agent: self).call(arguments)
            default: throw Refusal("unknown tool \(name)")
            }
        } catch {
            return CallTool.Result(content: [.text(text: "\(error)", annotations: nil, _meta: nil)], isError: true)
        }
    }

    // MARK: - Paying requests

    /// Sends `request` with a client whose budget is what is left of the total, at most `maxSats`
    /// (and `--max-sats-per-call`) for one payment; counts what it paid.
    func send(_ request: L402Request, maxSats: UInt64?) async throws -> L402Response {
        let client = try client(for: request.url, maxSats: maxSats)
        let response: L402Response
        do {
            response = try await client.send(request)
        } catch {
            throw Refusal("\(error)")
        }
        count(response.payments)
        return response
    }

    /// Pays an L402 offer that came inside an MCP error (`-32042`'s `data.l402`) within the same
    /// limits; returns the credential (`L402 <macaroon>:<preimage>`).
    func pay(wwwAuthenticate: [String], body: [UInt8], for url: URL, maxSats: UInt64?) async throws -> String {
        let client = try client(for: url, maxSats: maxSats)
        do {
            let (token, payment) = try await client.pay(wwwAuthenticate: wwwAuthenticate, body: body, for: url)
            count([payment])
            guard let credential = token.authorizationHeader else { throw Refusal("the paid token has no preimage") }
            return credential
        } catch let error as L402ClientError {
            throw Refusal("\(error)")
        }
    }

    /// A paying client for `url` (refused when its host is not allowed) with what is left of the budget.
    private func client(for url: URL, maxSats: UInt64?) throws -> L402Client {
        guard let host = url.host?.lowercased() else { throw Refusal("not an absolute http(s) URL: \(url)") }
        guard allowedHosts.isEmpty || allowedHosts.contains(host) else {
            throw Refusal("host \(host) is not allowed (allowed: \(allowedHosts.sorted().joined(separator: ", "))); nothing was sent")
        }
        let remaining = limits.totalSats.map { $0 - min($0, spent.withLock { $0 }) }
        let perCall = [limits.perCallSats, maxSats].compactMap { $0 }.min()
        return L402Client(cache: cache, budget: Budget(limits: BudgetLimits(perCallSats: perCall, totalSats: remaining)), wallet: wallet)
    }

    /// Adds what was paid now (not payments an earlier run made and this one recovered) to the spent total.
    private func count(_ payments: [L402Payment]) {
        let paid = payments.filter { !$0.recovered }.reduce(UInt64(0)) { $0 + $1.amountSats }
        spent.withLock { $0 += paid }
    }

    private func fetch(_ arguments: [String: Value]) async throws -> CallTool.Result {
        guard let text = arguments["url"]?.stringValue, let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
            throw Refusal("`url` must be an absolute http(s) URL")
        }
        let body = arguments["body"]?.stringValue
        var request = L402Request(url: url, method: (arguments["method"]?.stringValue ?? (body == nil ? "GET" : "POST")).uppercased())
        for (name, value) in arguments["headers"]?.objectValue ?? [:] {
            guard let value = value.stringValue else { throw Refusal("header \(name) must be a string") }
            request.headers.add(name: name, value: value)
        }
        request.body = body.map { Array($0.utf8) }
        let response = try await send(request, maxSats: try Self.sats(arguments["max_sats"]))
        var report: [String: Any] = [
            "status": response.status,
            "paid_sats": response.payments.filter { !$0.recovered }.reduce(UInt64(0)) { $0 + $1.amountSats },
            // Paid by an earlier run that stopped before it could use the token (found again, not paid twice).
            "recovered_sats": response.payments.filter(\.recovered).reduce(UInt64(0)) { $0 + $1.amountSats },
            "headers": Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { "\($0), \($1)" }),
        ]
        if let text = String(validating: response.body, as: UTF8.self) {
            report["body"] = text
        } else {
            report["body_base64"] = Data(response.body).base64EncodedString()
        }
        return Self.json(report, isError: response.status >= 400)
    }

    static func sats(_ value: Value?) throws -> UInt64? {
        guard let value else { return nil }
        guard let number = value.intValue, number >= 0 else { throw Refusal("`max_sats` must be a non-negative integer") }
        return UInt64(number)
    }

    // MARK: - Reports

    private func budgetReport() -> [String: Any] {
        let spent = self.spent.withLock { $0 }
        var report: [String: Any] = ["spent_sats": spent]
        if let total = limits.totalSats {
            report["max_sats"] = total
            report["remaining_sats"] = total - min(total, spent)
        }
        if let perCall = limits.perCallSats { report["max_sats_per_call"] = perCall }
        return report
    }

    private func tokenReport() async throws -> [String: Any] {
        var origins: [String: [[String: Any]]] = [:]
        for token in try await cache.allTokens() {
            var entry: [String: Any] = ["scope": token.scope, "amount_sats": token.amountSats, "pending": token.isPending]
            entry["token_id"] = token.tokenID
            entry["tool"] = token.tool
            entry["calls_left"] = token.callsLeft
            entry["expires_at"] = token.expiresAt?.formatted(.iso8601)
            origins[token.origin, default: []].append(entry)
        }
        return ["origins": origins]
    }

    static func json(_ value: [String: Any], isError: Bool = false) -> CallTool.Result {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return CallTool.Result(content: [.text(text: String(decoding: data, as: UTF8.self), annotations: nil, _meta: nil)], isError: isError)
    }
}
