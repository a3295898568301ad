// Shown in README.md and docs/libraries.md: the paywall as Hummingbird middleware.
// snippet:begin hummingbird
import Hummingbird
import L402Hummingbird
import L402Server
import Lightning

/// A Hummingbird 2 app whose /premium routes cost 10 sats for a token of 5 calls.
func premiumApp() async throws -> some ApplicationProtocol {
    let database = try PaywallDatabase.sqlite(path: "data/l402.sqlite")  // or .postgres(url: "postgres://…")
    let node = DevNode(key: try DevNode.loadOrCreateKey(at: "data/dev-node.key"), store: database.store)
    let paywall = Paywall(store: database.store, node: node, collectsDevInvoices: true)
    let router = Router(context: BasicL402RequestContext.self)
    router.group("premium")
        .add(middleware: L402Middleware(paywall: paywall, pricing: Pricing(tool: "premium", sats: 10, calls: 5)))
        .get("report") { _, context in
            "token \(context.l402Token?.id.hex ?? "-"), \(context.l402Token?.callsLeft ?? 0) calls left"
        }
    return Application(router: router, services: [paywall])  // the paywall's background work runs as a service
}
// snippet:end
