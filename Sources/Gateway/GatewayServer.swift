import Foundation
import L402Server
import Hummingbird
import HummingbirdCore
import L402
import L402Admin
import Lightning
import LightningBackends
import Logging
import ServiceLifecycle
import UnixSignals
import Storage

/// `l402 serve`: the gateway assembled from its configuration and run until SIGINT/SIGTERM (or cancellation).
public struct GatewayServer: Sendable {
    public var configuration: GatewayConfiguration
    /// Adds the built-in `/echo/` demo tool, served by this process on a loopback port.
    public var demo: Bool
    public var logger: Logger
    /// The gateway's clock (free-call days, rate-limit refills, token and invoice expiry). Tests move it.
    public var now: @Sendable () -> Date = { Date() }

    public init(configuration: GatewayConfiguration, demo: Bool = false, logger: Logger = Logger(label: "l402.gateway")) {
        self.configuration = configuration
        self.demo = demo
        self.logger = logger
    }

    /// Runs the gateway. `onListening` gets the bound port once requests are accepted (useful with port 0).
    /// `gracefulShutdownSignals` defaults to SIGTERM and SIGINT; tests pass [] and cancel the task instead.
    public func run(
        gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let configuration = self.configuration
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let database = try await openDatabase(configuration)
        do {
            try await serve(configuration, database: database, gracefulShutdownSignals: gracefulShutdownSignals, onListening: onListening)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    /// The database the configuration chooses: PostgreSQL when a URL is set, else the SQLite file.
    private func openDatabase(_ configuration: GatewayConfiguration) async throws -> PaywallDatabase {
        if let settings = configuration.postgres { return try await .postgres(settings: settings, logger: logger) }
        return try .sqlite(path: configuration.resolvedDatabasePath)
    }

    private func serve(
        _ configuration: GatewayConfiguration, database: PaywallDatabase, gracefulShutdownSignals: [UnixSignal],
        onListening: @escaping @Sendable (Int) async -> Void
    ) async throws {
        let store = database.store
        let adminToken = try loadAdminToken(configuration)
        let backend = try makeNode(store: store, configuration: configuration)
        let seeder = ToolSeeder(registry: store, logger: logger)
        try await seeder.seed(configuration.tools)

        try await withThrowingTaskGroup(of: Void.self) { group in
            var demoGroup: ServiceGroup?
            if demo {
                let (ports, sink) = AsyncStream.makeStream(of: Int.self)
                let echo = Application(
                    responder: DemoEchoTool(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { sink.yield($0.localAddress?.port ?? 0); sink.finish() }, logger: quietLogger())
                let services = ServiceGroup(services: [echo], gracefulShutdownSignals: [], logger: quietLogger())
                demoGroup = services
                group.addTask { try await services.run() }
                var iterator = ports.makeAsyncIterator()
                if let port = await iterator.next(), configuration.tool(slug: DemoEchoTool.slug) == nil {
                    try await seeder.seedDemo(DemoEchoTool.tool(port: port))
                }
            }
            let tools = ToolTable(try await store.allTools())
            let forwarder = UpstreamForwarder(
                poolSize: configuration.upstreamPoolSize, timeoutSeconds: configuration.upstreamTimeoutSeconds,
                connectTimeoutSeconds: configuration.upstreamConnectTimeoutSeconds, maxBodyBytes: configuration.maxBodyBytes)
            let app = makeApplication(
                configuration: configuration, store: store, node: backend.node, isDev: backend.isDev,
                tools: tools, adminToken: adminToken, forwarder: forwarder, onListening: onListening)
            announce(configuration, tools: tools.all, isDev: backend.isDev, database: database.description)
            do {
                try await app.runService(gracefulShutdownSignals: gracefulShutdownSignals)
            } catch {
                try? await forwarder.shutdown()
                await demoGroup?.triggerGracefulShutdown()
                throw error
            }
            try await forwarder.shutdown()
            await demoGroup?.triggerGracefulShutdown()  // the demo upstream stops with the gateway
        }
    }

    private func makeNode(store: any PaywallStore, configuration: GatewayConfiguration) throws -> (node: any LightningNode, isDev: Bool) {
        switch configuration.lightning {
        case .dev:
            let keyPath = URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("dev-node.key").path
            return (DevNode(key: try DevNode.loadOrCreateKey(at: keyPath), store: store, now: now), true)
        case .lnd(let restURL, let macaroon, let tlsCertificatePath):
            let lnd = try LNDNode(
                configuration: LNDConfiguration(restURL: restURL, macaroon: macaroon, tlsCertificatePath: tlsCertificatePath))
            return (lnd, false)
        }
    }

    private func makeApplication(
        configuration: GatewayConfiguration, store: any PaywallStore, node: any LightningNode, isDev: Bool,
        tools: ToolTable, adminToken: AdminToken, forwarder: UpstreamForwarder,
        onListening: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let paywall = Paywall(
            store: store, node: node,
            settings: PaywallSettings(
                location: "l402-gateway", invoiceExpirySeconds: configuration.invoiceExpirySeconds,
                challengeRateLimit: configuration.challengeRateLimit),
            collectsDevInvoices: isDev, logger: logger, clock: now)
        let admin = AdminAPI(token: adminToken, registry: store, ledger: store, secrets: paywall.secrets, table: tools, logger: logger)
        let responder = GatewayResponder(
            tools: tools, toolCalls: ToolCallHandler(paywall: paywall, forwarder: forwarder), devNode: isDev ? node : nil,
            clients: ClientAddress(trustedProxies: configuration.trustedProxies),
            metrics: MetricsEndpoint(metrics: paywall.metrics, adminToken: adminToken), admin: admin,
            dashboard: DashboardEndpoint(adminToken: adminToken, registry: store, ledger: store, clock: now))
        let refresher = ToolTableRefresher(registry: store, table: tools, interval: configuration.toolRefreshInterval, logger: logger)
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: configuration.maxHeaderBytes, maxHeaderListSize: configuration.maxHeaderBytes)
        return Application(
            responder: responder,
            server: .http1(configuration: .init(idleTimeout: .seconds(75), httpDecoderConfiguration: decoder)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            services: [paywall, refresher],
            onServerRunning: { [logger] channel in
                let port = channel.localAddress?.port ?? 0
                logger.notice("listening on http://\(configuration.host):\(port)")
                await onListening(port)
            },
            logger: quietLogger())
    }

    private func announce(_ configuration: GatewayConfiguration, tools: [ToolConfiguration], isDev: Bool, database: String) {
        if isDev { logger.notice("\(DevNode.noRealMoneyNotice)") }
        for tool in tools {
            let state = tool.enabled ? "" : " (disabled)"
            logger.notice("tool /\(tool.slug)/ -> \(tool.upstream.absoluteString) at \(tool.priceSats) sats for \(tool.calls) call(s)\(state)")
        }
        logger.notice("database \(database)")
    }

    /// The admin token; a newly generated one is printed once, on stdout, so the operator can copy it.
    /// It is never logged.
    private func loadAdminToken(_ configuration: GatewayConfiguration) throws -> AdminToken {
        let (token, generated) = try AdminToken.loadOrCreate(configured: configuration.adminToken, dataDirectory: configuration.dataDirectory)
        if let generated {
            let path = AdminTokenFile.path(inDataDirectory: configuration.dataDirectory)
            FileHandle.standardOutput.write(Data("admin token (generated into \(path), mode 0600; shown only this once): \(generated)\n".utf8))
        }
        return token
    }

    /// Hummingbird's own per-request logging is noise at the default level.
    private func quietLogger() -> Logger {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        return quiet
    }
}
