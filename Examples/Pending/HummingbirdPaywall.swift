// PENDING (issue 11): written against the planned L402Hummingbird API; excluded from the build
// until that product exists. Then move it to Examples/, make it compile, and paste the region
// into README.md and docs/libraries.md again (DocsTests checks they match).
// snippet:begin hummingbird
import Hummingbird
import L402Hummingbird

/// A Hummingbird 2 app whose /premium routes cost 10 sats for a token of 5 calls.
func premiumApp() async throws -> some ApplicationProtocol {
    let paywall = try await Paywall.open(
        database: .sqlite(path: "data/l402.sqlite"),
        node: DevNode(key: try DevNode.loadOrCreateKey(at: "data/dev-node.key"), store: InMemoryDevInvoiceStore()))
    let router = Router(context: L402RequestContext.self)
    router.group("premium")
        .add(middleware: L402Middleware(paywall: paywall, price: .init(name: "premium", sats: 10, calls: 5)))
        .get("report") { _, context in
            "token \(context.l402Token?.id.hex ?? "-"), \(context.l402Token?.callsLeft ?? 0) calls left"
        }
    return Application(router: router)
}
// snippet:end
