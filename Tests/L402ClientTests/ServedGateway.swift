import AsyncHTTPClient
import Foundation
import GRDB
import L402Client
import TestSupport

/// A real `l402 serve` child process (the built binary, dev node, SQLite in a temporary directory,
/// ephemeral port) in front of a real upstream on loopback, for the duration of one test.
struct ServedGateway: Sendable {
    let url: URL
    let upstream: TestHTTPServer
    /// The gateway's `--data-dir`: its SQLite database holds the dev node's invoices.
    let dataDirectory: String

    /// Tools every end-to-end test uses: `multi` (5 sats for 3 calls) and `once` (2 sats per call).
    static func toolsYAML(upstreamPort: Int) -> String {
        """
        tools:
          - slug: multi
            upstream: http://127.0.0.1:\(upstreamPort)
            price_sats: 5
            calls: 3
          - slug: once
            upstream: http://127.0.0.1:\(upstreamPort)
            price_sats: 2
        """
    }

    /// Runs `body` against a fresh gateway. `lightningYAML` (a `lightning:` section) and `environment`
    /// choose another node than the dev node.
    static func with<T: Sendable>(
        lightningYAML: String = "", environment: [String: String] = [:], _ body: @Sendable (ServedGateway) async throws -> T
    ) async throws -> T {
        let upstream = try await TestHTTPServer.start { request in
            .init(status: 200, headers: [("Content-Type", "text/plain")], body: Array("upstream saw \(request.method) \(request.uri)".utf8))
        }
        let directory = try TemporaryDirectory()
        let config = directory.file("gateway.yaml")
        try (toolsYAML(upstreamPort: upstream.port) + "\n" + lightningYAML).write(toFile: config, atomically: true, encoding: .utf8)
        let server = try RunningProcess(
            try Subprocess.l402Binary,
            ["serve", "--config", config, "--port", "0", "--admin-port", "0", "--data-dir", directory.file("data")],
            environment: environment)
        do {
            let port = try await server.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
            let gateway = ServedGateway(url: URL(string: "http://127.0.0.1:\(port)")!, upstream: upstream, dataDirectory: directory.file("data"))
            let result = try await body(gateway)
            withExtendedLifetime(directory) {}  // its data directory outlives the body
            try await server.terminate()
            try await upstream.stop()
            return result
        } catch {
            _ = try? await server.terminate()
            try? await upstream.stop()
            throw error
        }
    }

    /// `l402 fetch` with the dev wallet of this gateway (unless `wallet` is false) and `tokenDir`.
    func fetch(_ path: String, tokenDir: String, wallet: Bool = true, _ extra: [String] = []) async throws -> ProcessOutput {
        try await Subprocess.l402InBackground(
            ["fetch", url.absoluteString + path, "--token-dir", tokenDir, "-v"]
                + (wallet ? ["--wallet", "dev=\(url.absoluteString)"] : []) + extra)
    }

    /// A client with its token cache in `directory` and the dev wallet of this gateway.
    func client(directory: TemporaryDirectory, limits: BudgetLimits = .unlimited, wallet: (any Wallet)? = nil) throws -> L402Client {
        L402Client(cache: try TokenCache(directory: directory.path), budget: Budget(limits: limits), wallet: wallet ?? DevWallet(gateway: url))
    }

    /// How many invoices the gateway's dev node has settled: what was really paid, whatever the clients believe.
    func settledInvoiceCount() throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: (dataDirectory as NSString).appendingPathComponent("l402.sqlite"), configuration: configuration)
        return try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM dev_invoices WHERE settled_at IS NOT NULL") ?? 0 }
    }

    /// The secret the gateway binds its `Payment` challenge ids with, read from its database.
    func paymentBindingSecret() throws -> [UInt8] {
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: (dataDirectory as NSString).appendingPathComponent("l402.sqlite"), configuration: configuration)
        let secret = try database.read { try Data.fetchOne($0, sql: "SELECT value FROM server_secrets WHERE name = 'payment-binding'") }
        guard let secret else { throw Subprocess.Failure(description: "the gateway stored no payment-binding secret") }
        return Array(secret)
    }

    /// The checked offer of the 402 the gateway answers for `url` (asked without a credential, nothing paid).
    func challenge(_ url: URL) async throws -> PaymentOffer {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 16)
        return try ChallengeCheck.offer(wwwAuthenticate: response.headers["WWW-Authenticate"], body: Array(body.readableBytesView))
    }
}
