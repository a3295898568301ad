// snippet:begin client
import Foundation
import L402Client

/// Calls the demo tool behind `gateway`, paying its 402 with the dev wallet:
/// at most 50 sats a call, 1,000 in all, 500 per host.
func callEchoTool(gateway: URL, tokenDirectory: String = TokenCache.defaultDirectory) async throws -> String {
    let client = L402Client(
        cache: try TokenCache(directory: tokenDirectory),
        budget: Budget(limits: BudgetLimits(perCallSats: 50, totalSats: 1_000, perHostSats: 500)),
        wallet: DevWallet(gateway: gateway))  // or LightningNodeWallet(node: LNDNode(configuration: …))
    let response = try await client.send(L402Request(url: gateway.appendingPathComponent("echo/hi")))
    return String(decoding: response.body, as: UTF8.self)
}
// snippet:end
