// PENDING (issue 11): written against the planned L402Server API; excluded from the build until
// that product exists. Then move it to Examples/, make it compile, and paste the region into
// docs/libraries.md again (DocsTests checks they match).
// snippet:begin paywall
import L402Server
import Lightning

/// The framework-free paywall core on the embedded defaults: SQLite and the dev node.
func openPaywall() async throws -> Paywall {
    let key = try DevNode.loadOrCreateKey(at: "data/dev-node.key")
    return try await Paywall.open(
        database: .sqlite(path: "data/l402.sqlite"),  // or .postgres(url: "postgres://…")
        node: DevNode(key: key, store: InMemoryDevInvoiceStore()))
}
// snippet:end
