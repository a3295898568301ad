import ArgumentParser
import Foundation
import Gateway
import Logging

/// `l402 serve`: run the paying gateway in front of the configured tools.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the L402 gateway: 402 challenges, credential checks, metering, forwarding to tools.",
        discussion: """
            Tools, prices and the Lightning backend come from a YAML file (docs/gateway.md, \
            "Configuration"); --host, --port, --admin-host, --admin-port and --data-dir override it. Tools are \
            served on --host:--port; the admin API, dashboard and metrics on the operator listener \
            (--admin-host:--admin-port, default 127.0.0.1:8403). The Lightning node is LND, phoenixd, \
            Core Lightning or LNbits (docs/lightning.md; LND_REST_URL, PHOENIXD_URL, CLN_REST_URL or LNBITS_URL \
            and their secrets in the environment override the file). Without one the embedded dev node issues \
            invoices (it moves no real money) and POST /_l402/dev/pay settles them.
            Stops gracefully on SIGINT or SIGTERM.

            Example:
              l402 serve --config gateway.yaml
              l402 serve --demo        # built-in /echo/ tool at 5 sats, dev node, SQLite in ./data
            """
    )

    @Option(name: .long, help: "YAML configuration file.")
    var config: String?

    @Option(name: .long, help: "Address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (default 8402; 0 picks a free one).")
    var port: Int?

    @Option(name: .customLong("admin-host"), help: "Address of the operator listener: admin API, dashboard, metrics (default 127.0.0.1).")
    var adminHost: String?

    @Option(name: .customLong("admin-port"), help: "Port of the operator listener (default 8403; 0 picks a free one).")
    var adminPort: Int?

    @Option(name: .customLong("data-dir"), help: "Directory for the SQLite database and the dev node key (default ./data).")
    var dataDir: String?

    @Flag(name: .long, help: "Add the built-in demo tool /echo/ (5 sats per call).")
    var demo = false

    @Flag(
        name: .customLong("allow-dev-on-public"),
        help: "Run the dev node even on a non-loopback address (it settles any invoice for anyone; YAML allow_dev_on_public).")
    var allowDevOnPublic = false

    @Option(
        name: .customLong("log-level"),
        help: "Lowest level logged to stderr (default info: one line per tool request; notice drops those).")
    var logLevel: Logger.Level = .info

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be 0...65535") }
        if let adminPort, !(0...65535).contains(adminPort) { throw ValidationError("--admin-port must be 0...65535") }
    }

    func run() async throws {
        var configuration: GatewayConfiguration
        do {
            configuration =
                if let config { try ConfigurationLoader.load(path: config) } else {
                    try ConfigurationLoader.parse("", environment: ProcessInfo.processInfo.environment)
                }
        } catch {
            FileHandle.standardError.write(Data("l402 serve: bad configuration: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if let adminHost { configuration.adminHost = adminHost }
        if let adminPort { configuration.adminPort = adminPort }
        if let dataDir { configuration.dataDirectory = dataDir }
        if allowDevOnPublic { configuration.allowDevOnPublicAddress = true }
        do {
            try configuration.checkDevNodeExposure(file: config ?? "<command line>")
        } catch {
            FileHandle.standardError.write(Data("l402 serve: \(error) (or pass --allow-dev-on-public)\n".utf8))
            throw ExitCode(2)
        }
        if let conflict = configuration.listenerConflict {
            FileHandle.standardError.write(Data("l402 serve: bad configuration: \(conflict)\n".utf8))
            throw ExitCode(2)
        }
        MallocTuning.keepFreedMemoryForReuse(environment: ProcessInfo.processInfo.environment)
        var logger = Logger(label: "l402.gateway")
        logger.logLevel = logLevel
        if configuration.tools.isEmpty && !demo {
            logger.notice("no tools in the config: serving the tools registered in the database (add some with `l402 tools add`, --config FILE, or --demo)")
        }
        try await GatewayServer(configuration: configuration, demo: demo, logger: logger).run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
