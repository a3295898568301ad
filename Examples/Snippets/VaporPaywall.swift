// Shown in README.md and docs/libraries.md: the paywall as Vapor middleware.
// snippet:begin vapor
import L402Server
import L402Vapor
import Vapor

/// Prices GET /premium at 10 sats in a Vapor 4 app.
func addPremiumRoute(to app: Application, paywall: Paywall) {
    app.grouped(L402VaporMiddleware(paywall: paywall, pricing: Pricing(tool: "premium", sats: 10)))
        .get("premium") { req in
            req.l402Token?.id.hex ?? ""
        }
}
// snippet:end
