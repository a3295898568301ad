import L402
import AsyncHTTPClient
import ByteEncoding
import Foundation
import Gateway
import Hummingbird
import Lightning
import Logging
import NIOCore
import NIOHTTP1
import Storage

/// A real gateway (dev node, SQLite in a temporary directory) on ephemeral ports, in front of
/// real upstream servers, for the duration of one test. `send` and the L402 dance go to the public
/// listener; `operatorListener` (and `admin`) to the operator listener.
struct GatewayHarness: GatewayEndpoint {
    let port: Int
    let adminPort: Int
    let dataDirectory: String

    var base: String { "http://127.0.0.1:\(port)" }
    /// The operator listener's base URL (admin API, dashboard, metrics).
    var adminBase: String { "http://127.0.0.1:\(adminPort)" }
    /// The operator listener, to send requests to.
    var operatorListener: Listener { Listener(base: adminBase) }

    /// One of the gateway's listeners, addressed by its base URL.
    struct Listener: GatewayEndpoint {
        let base: String
    }

    /// The admin token every harness gateway is configured with (unless a test's `configure` clears it).
    static let adminToken = "harness-admin-token-0123456789abcdef"

    /// Starts the gateway with `tools` (built from the upstream ports by `makeTools`) and runs `body`.
    /// `dataDirectory` (kept afterwards) lets a test restart a gateway on the same state; by default
    /// each run gets a fresh temporary directory, deleted at the end.
    static func with<T: Sendable>(
        upstreams: [any HTTPResponder<BasicRequestContext>] = [EchoUpstream()],
        dataDirectory: String? = nil,
        configure: @Sendable (inout GatewayConfiguration) -> Void = { _ in },
        server configureServer: @Sendable (inout GatewayServer) -> Void = { _ in },
        tools makeTools: @Sendable ([Int]) -> [ToolConfiguration],
        _ body: @Sendable (GatewayHarness) async throws -> T
    ) async throws -> T {
        try await withUpstreams(upstreams, ports: []) { ports in
            let directory = dataDirectory ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("l402-gw-\(UUID().uuidString)").path
            defer { if dataDirectory == nil { try? FileManager.default.removeItem(atPath: directory) } }
            var configuration = GatewayConfiguration(
                host: "127.0.0.1", port: 0, dataDirectory: directory, tools: makeTools(ports), adminToken: adminToken)
            configuration.adminPort = 0
            configure(&configuration)
            var logger = Logger(label: "test-gateway")
            logger.logLevel = .critical
            var configured = GatewayServer(configuration: configuration, logger: logger)
            configureServer(&configured)
            let server = configured
            let (listening, sink) = AsyncStream.makeStream(of: Result<GatewayPorts, any Error>.self)
            return try await GracefulShutdown.run(serving: {
                defer { sink.finish() }
                do {
                    try await server.run(gracefulShutdownSignals: []) { ports in
                        sink.yield(.success(ports))
                    }
                } catch {
                    sink.yield(.failure(error))  // seen by the body only if the gateway never listened
                    throw error
                }
            }) {
                var iterator = listening.makeAsyncIterator()
                let ports: GatewayPorts
                switch await iterator.next() {
                case .success(let listening): ports = listening
                case .failure(let error): throw HarnessError("the gateway stopped before listening: \(error)")
                case nil: throw HarnessError("the gateway stopped before listening")
                }
                return try await body(GatewayHarness(port: ports.publicPort, adminPort: ports.adminPort, dataDirectory: directory))
            }
        }
    }

    private static func withUpstreams<T: Sendable>(
        _ remaining: [any HTTPResponder<BasicRequestContext>], ports: [Int], _ body: @Sendable ([Int]) async throws -> T
    ) async throws -> T {
        guard let first = remaining.first else { return try await body(ports) }
        let rest = Array(remaining.dropFirst())
        return try await RunningServer.with(AnyResponder(first)) { port in
            try await withUpstreams(rest, ports: ports + [port], body)
        }
    }

    // MARK: - Requests (send, challenge, pay, buy: GatewayEndpoint)

    /// Sends a request to the admin API (`path` below `/_l402/admin/`, on the operator listener) with the harness's admin token.
    func admin(
        _ method: HTTPMethod = .GET, _ path: String, body: String? = nil, token: String? = GatewayHarness.adminToken
    ) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        try await operatorListener.send(method, "/_l402/admin/" + path, authorization: token.map { "Bearer \($0)" }, body: body)
    }

    /// Decodes an admin answer, failing the test with the body when the status is not `status`.
    func admin<Value: Decodable>(
        _ method: HTTPMethod = .GET, _ path: String, body: String? = nil, expecting status: Int = 200, as type: Value.Type
    ) async throws -> Value {
        let response = try await admin(method, path, body: body)
        guard response.status == status else {
            throw HarnessError("\(method) \(path): expected \(status), got \(response.status): \(response.body)")
        }
        return try JSONDecoder().decode(Value.self, from: Data(response.body.utf8))
    }

    /// The invocations metered so far, read from the gateway's own database.
    func invocations(tool: String? = nil) async throws -> [Invocation] {
        try await store().invocations(tool: tool, since: nil, until: nil, limit: 1000, offset: 0)
    }

    /// The gateway's own database, opened a second time.
    func store() throws -> SQLiteStore {
        try SQLiteStore(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("l402.sqlite").path)
    }

    /// The dev node's record of an invoice it issued, read from the gateway's own database.
    func devInvoice(paymentHash: [UInt8]) async throws -> DevInvoiceRecord? {
        let store = try SQLiteStore(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("l402.sqlite").path)
        return try await store.record(paymentHash: paymentHash)
    }
}

/// The JSON body of a 402.
struct ChallengeJSON: Decodable {
    var macaroon: String
    var invoice: String
    var payment_hash: String
    var amount_sats: UInt64
    var expires_at: String
    var tool: String
    var error: String?
}

/// The JSON body of a 4xx/5xx the gateway answers itself (`field` for the admin API's `invalid_field`).
struct ErrorJSON: Decodable {
    var error: String
    var message: String
    var field: String?
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Type-erases a responder so several kinds of upstream can be started the same way.
struct AnyResponder: HTTPResponder {
    let base: any HTTPResponder<BasicRequestContext>
    init(_ base: any HTTPResponder<BasicRequestContext>) { self.base = base }
    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        try await base.respond(to: request, context: context)
    }
}
