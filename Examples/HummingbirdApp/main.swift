// A Hummingbird app that charges for two routes, on the embedded dev node and SQLite:
//   GET /premium/...  10 sats for 3 calls      GET /basic/...  2 sats a call (1 free call a day per client)
// Run: [PORT=8080] [DATA_DIR=./data-hummingbird] swift run HummingbirdPaywallExample   (PORT=0 picks a free port)
// Pay: l402 fetch http://127.0.0.1:8080/premium/report --wallet dev=http://127.0.0.1:8080 --max-sats 100
import Foundation
import Hummingbird
import L402Hummingbird
import L402Server

let environment = ProcessInfo.processInfo.environment
let port = environment["PORT"].flatMap { Int($0) } ?? 8080
let dataDirectory = environment["DATA_DIR"] ?? "./data-hummingbird"
let database = try PaywallDatabase.sqlite(path: dataDirectory + "/l402.sqlite")
let node = DevNode(key: try DevNode.loadOrCreateKey(at: dataDirectory + "/dev-node.key"), store: database.store)
let paywall = Paywall(store: database.store, node: node, collectsDevInvoices: true)

let router = Router(context: BasicL402RequestContext.self)
router.group("premium")
    .add(middleware: L402Middleware(paywall: paywall, pricing: Pricing(tool: "premium", sats: 10, calls: 3)))
    .get("**") { _, context in
        "premium content; calls left on your token: \(context.l402Token?.callsLeft ?? 0)\n"
    }
router.group("basic")
    .add(middleware: L402Middleware(paywall: paywall, pricing: Pricing(tool: "basic", sats: 2, freeCallsPerDay: 1)))
    .get("**") { request, context in
        "basic \(request.uri.path) (\(context.l402Token == nil ? "free call" : "paid"))\n"
    }
router.addL402DevRoutes(DevPayments(node: node))  // the dev node's "wallet": never with a real node

let app = Application(
    router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), services: [paywall],
    onServerRunning: { announce(port: $0.localAddress?.port ?? 0) })
try await app.runService()

/// The line scripts wait for, written at once (print's stdout to a pipe is block-buffered).
func announce(port: Int) {
    FileHandle.standardOutput.write(Data("listening on http://127.0.0.1:\(port)\n".utf8))
}
