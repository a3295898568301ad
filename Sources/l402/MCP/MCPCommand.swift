import ArgumentParser
import Foundation
import L402Client
import MCP

/// `l402 mcp`: a stdio MCP server that lets an agent (Claude Desktop, any MCP client) fetch paid
/// URLs and call paid MCP tools, paying L402 challenges from a wallet within a budget.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Run an MCP server on stdin/stdout whose tools pay L402 challenges within a budget.",
        discussion: """
            Wallets: the same as `l402 fetch` (docs/lightning.md, docs/nwc.md).
            Tools: fetch (a URL, paying its 402), budget (spent and remaining), tokens (cached tokens per origin),
            call_paid_mcp_tool (a tool of a remote paid MCP server over Streamable HTTP).
            Before any payment the invoice's amount is checked against --max-sats, --max-sats-per-call (and a
            call's own max_sats) and the host against --allow-host; a payment interrupted by a crash is resumed
            from --token-dir without paying twice. Every refusal is a tool error, never a crash.
            Nothing but MCP messages is written to stdout; see docs/mcp.md for client configuration.

            Example (Claude Desktop's claude_desktop_config.json):
              {"mcpServers": {"l402": {"command": "l402", "args": ["mcp", "--wallet", "lnd", "--max-sats", "1000"]}}}
            """
    )

    @Option(name: .long, help: ArgumentHelp(stringLiteral: WalletOption.help))
    var wallet: String?

    @Option(name: .customLong("max-fee-sats"), help: "Most routing fee one payment may cost (default 10).")
    var maxFeeSats: UInt64 = 10

    @Option(name: .customLong("payment-timeout"), help: "Seconds one payment may take (default 60).")
    var paymentTimeout: Int = 60

    @Option(name: .customLong("max-sats"), help: "Most this server may pay in total.")
    var maxSats: UInt64

    @Option(name: .customLong("max-sats-per-call"), help: "Most one payment may cost.")
    var maxSatsPerCall: UInt64?

    @Option(name: .customLong("allow-host"), help: "A host the tools may talk to (repeatable; default: any host).")
    var allowedHosts: [String] = []

    @Option(name: .customLong("token-dir"), help: "Token cache directory (default $L402_TOKEN_DIR or ~/.l402/tokens).")
    var tokenDir: String?

    func run() async throws {
        guard paymentTimeout > 0 else { throw ValidationError("--payment-timeout must be positive") }
        let chosen = try wallet.map { try WalletOption.make($0, feeLimitSats: maxFeeSats, paymentTimeoutSeconds: paymentTimeout) }
        let agent = AgentTools(
            cache: try TokenCache(directory: tokenDir ?? TokenCache.defaultDirectory), wallet: chosen?.wallet,
            limits: BudgetLimits(perCallSats: maxSatsPerCall, totalSats: maxSats),
            allowedHosts: Set(allowedHosts.map { $0.lowercased() }))
        let server = Server(name: "l402", version: "1.0.0", capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: AgentTools.definitions) }
        await server.withMethodHandler(CallTool.self) { params in await agent.call(params.name, arguments: params.arguments ?? [:]) }
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
    }
}
