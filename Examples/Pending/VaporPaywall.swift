// PENDING (issue 11): written against the planned L402Vapor API (named like L402Hummingbird's on
// the lead's branch); excluded from the build until that product exists. Then move it to
// Examples/, make it compile, and paste the region into README.md and docs/libraries.md again
// (DocsTests checks they match).
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
