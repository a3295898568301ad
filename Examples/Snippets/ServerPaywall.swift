// Shown in docs/libraries.md: the paywall core, as a middleware uses it.
// snippet:begin paywall
import L402Server
import Lightning

/// Decides one request to a route priced at 10 sats for 5 calls, as a middleware would.
func decide(_ request: PaywallRequest, paywall: Paywall) async -> String {
    let decision = await paywall.decide(request, pricing: Pricing(tool: "premium", sats: 10, calls: 5))
    guard let reservation = decision.reservation else {
        return "answer \(decision.response!.status.code) without running the handler"  // 402, 401, 429, …
    }
    // Run the handler; then commit the call (spent, one ledger row), or release it (given back) if it failed.
    await reservation.commit(status: 200, latency: .milliseconds(3))
    return "served"
}
// snippet:end
