// A Vapor app that charges for two routes, on the embedded dev node and SQLite:
//   GET /premium/...  10 sats for 3 calls      GET /basic/...  2 sats a call (1 free call a day per client)
// Run: [PORT=8080] [DATA_DIR=./data-vapor] swift run VaporPaywallExample   (PORT=0 picks a free port)
// Pay: l402 fetch http://127.0.0.1:8080/premium/report --wallet dev=http://127.0.0.1:8080 --max-sats 100
import Foundation
import L402Server
import L402Vapor
import Vapor

let environment = ProcessInfo.processInfo.environment
let port = environment["PORT"].flatMap { Int($0) } ?? 8080
let dataDirectory = environment["DATA_DIR"] ?? "./data-vapor"
let database = try PaywallDatabase.sqlite(path: dataDirectory + "/l402.sqlite")
let node = DevNode(key: try DevNode.loadOrCreateKey(at: dataDirectory + "/dev-node.key"), store: database.store)
let paywall = Paywall(store: database.store, node: node, collectsDevInvoices: true)

let app = try await Application.make(.development, .singleton)
app.http.server.configuration.hostname = "127.0.0.1"
app.http.server.configuration.port = port
app.lifecycle.use(PaywallLifecycle(paywall: paywall))

app.grouped(L402VaporMiddleware(paywall: paywall, pricing: Pricing(tool: "premium", sats: 10, calls: 3)))
    .get("premium", "**") { request in
        "premium content; calls left on your token: \(request.l402Token?.callsLeft ?? 0)\n"
    }
app.grouped(L402VaporMiddleware(paywall: paywall, pricing: Pricing(tool: "basic", sats: 2, freeCallsPerDay: 1)))
    .get("basic", "**") { request in
        "basic \(request.url.path) (\(request.l402Token == nil ? "free call" : "paid"))\n"
    }
app.addL402DevRoutes(DevPayments(node: node))  // the dev node's "wallet": never with a real node

try await app.startup()
announce(port: app.http.server.shared.localAddress?.port ?? 0)
try await app.running?.onStop.get()
try await app.asyncShutdown()

/// The line scripts wait for, written at once (print's stdout to a pipe is block-buffered).
func announce(port: Int) {
    FileHandle.standardOutput.write(Data("listening on http://127.0.0.1:\(port)\n".utf8))
}
