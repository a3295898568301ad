import Foundation
import L402Server
import Hummingbird
import HummingbirdCore
import L402
import L402Admin
import Lightning
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

    /// Runs the gateway: the public listener and the operator listener, until shut down. `onListening`
    /// gets both bound ports once both accept requests (useful with port 0).
    /// `gracefulShutdownSignals` defaults to SIGTERM and SIGINT; tests pass [] and cancel the task instead.
    /// Throws `ListenerConflict` before touching anything when `admin_listen` would be the public address.
    public func run(
        gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        onListening: @escaping @Sendable (GatewayPorts) async -> Void = { _ in }
    ) async throws {
        let configuration = self.configuration
        if let conflict = configuration.listenerConflict { throw ListenerConflict(description: conflict) }
        try DataDirectory.prepare(configuration.dataDirectory)
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
        onListening: @escaping @Sendable (GatewayPorts) async -> Void
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
            let paywall = makePaywall(configuration: configuration, store: store, node: backend.node, isDev: backend.isDev)
            // Every tool's counters are on the metrics page from the start, and from each reload on for new ones.
            let tools = ToolTable(try await store.allTools()) { [metrics = paywall.metrics] in metrics.register(tools: $0.map(\.slug)) }
            let forwarder = UpstreamForwarder(
                poolSize: configuration.upstreamPoolSize, timeoutSeconds: configuration.upstreamTimeoutSeconds,
                idleTimeoutSeconds: configuration.upstreamIdleTimeoutSeconds,
                connectTimeoutSeconds: configuration.upstreamConnectTimeoutSeconds, maxBodyBytes: configuration.maxBodyBytes)
            let readiness = ListenerReadiness(onListening)
            let publicListener = makePublicApplication(
                configuration: configuration, paywall: paywall, devNode: backend.isDev ? backend.node : nil, tools: tools,
                forwarder: forwarder, readiness: readiness)
            let operatorListener = OperatorListener(
                configuration: configuration, store: store, paywall: paywall, tools: tools, adminToken: adminToken, logger: logger,
                clock: now
            ).application(quietLogger: quietLogger()) { await readiness.adminListening(on: $0) }
            let refresher = ToolTableRefresher(registry: store, table: tools, interval: configuration.toolRefreshInterval, logger: logger)
            // Shut down in reverse: the listeners first, the paywall (which flushes its ledger) last.
            let services = ServiceGroup(configuration: .init(
                services: [paywall, refresher, operatorListener, publicListener],
                gracefulShutdownSignals: gracefulShutdownSignals, logger: quietLogger()))
            announce(configuration, tools: tools.all, isDev: backend.isDev, database: database.description)
            do {
                try await services.run()
            } catch {
                try? await forwarder.shutdown()
                await demoGroup?.triggerGracefulShutdown()
                let unstarted = await readiness.notListening(configuration)
                throw unstarted.isEmpty || error is CancellationError ? error : ListenerStartFailure(listeners: unstarted, underlying: error)
            }
            try await forwarder.shutdown()
            await demoGroup?.triggerGracefulShutdown()  // the demo upstream stops with the gateway
        }
    }

    private func makeNode(store: any PaywallStore, configuration: GatewayConfiguration) throws -> (node: any LightningNode, isDev: Bool) {
        if let node = try configuration.lightning.makeRemoteNode() { return (node, false) }
        let keyPath = URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("dev-node.key").path
        return (DevNode(key: try DevNode.loadOrCreateKey(at: keyPath), store: store, now: now), true)
    }

    private func makePaywall(configuration: GatewayConfiguration, store: any PaywallStore, node: any LightningNode, isDev: Bool) -> Paywall {
        Paywall(
            store: store, node: node,
            settings: PaywallSettings(
                location: "l402-gateway", invoiceExpirySeconds: configuration.invoiceExpirySeconds,
                challengeRateLimit: configuration.challengeRateLimit,
                leaseLifetime: PaywallSettings.leaseLifetime(forCallsTakingAtMost: .seconds(configuration.upstreamTimeoutSeconds))),
            collectsDevInvoices: isDev, logger: logger, clock: now)
    }

    /// The public listener: tools, `/_l402/health` and the dev endpoints.
    private func makePublicApplication(
        configuration: GatewayConfiguration, paywall: Paywall, devNode: (any LightningNode)?, tools: ToolTable,
        forwarder: UpstreamForwarder, readiness: ListenerReadiness
    ) -> some ApplicationProtocol {
        let responder = GatewayResponder(
            tools: tools, toolCalls: ToolCallHandler(paywall: paywall, forwarder: forwarder), devNode: devNode,
            clients: ClientAddress(trustedProxies: configuration.trustedProxies))
        return HTTPListener.application(
            responder, host: configuration.host, port: configuration.port, maxHeaderBytes: configuration.maxHeaderBytes,
            logger: quietLogger()
        ) { [logger] port in
            logger.notice("listening on http://\(configuration.host):\(port)")
            await readiness.publicListening(on: port)
        }
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

/// `admin_listen` is the public listener's address: refused at startup.
public struct ListenerConflict: Error, CustomStringConvertible {
    public var description: String
}
