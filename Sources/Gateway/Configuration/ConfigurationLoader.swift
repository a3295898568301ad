import L402Server
import L402
import Foundation
import Storage
import Yams

/// Reads a gateway config from YAML, checking every field and reporting the first problem with its line.
///
/// The file's keys (all optional except each tool's `slug`, `upstream` and `price_sats`):
/// `listen`, `admin_listen`, `data_dir`, `lightning` {`backend` and its settings: `LightningSettings`}, `database`,
/// `invoice_expiry`, `upstream_pool_size`, `upstream_timeout`, `upstream_connect_timeout`, `max_body_bytes`, `max_header_bytes`,
/// `admin_token`, `metrics_token`, `dashboard_session_hours`, `tools` (each tool's keys: `ToolReader.keys`), `tool_refresh`, `challenge_rate_limit` {`per_minute`, `burst`},
/// `trusted_proxies`.
/// Unknown keys are errors, so a typo never silently falls back to a default.
public enum ConfigurationLoader {
    /// Loads the file at `path`, then applies the Lightning backends' variables (`LightningSettings`),
    /// `L402_ADMIN_TOKEN`, `L402_METRICS_TOKEN` and `DATABASE_URL` from `environment`.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> GatewayConfiguration
    {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(file: path, line: nil, column: nil, field: "", reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(file: path, line: nil, column: nil, field: "", reason: "the file is not UTF-8 text")
        }
        return try parse(text, file: path, environment: environment)
    }

    /// Parses YAML `text`; `file` names it in errors.
    public static func parse(_ text: String, file: String = "<config>", environment: [String: String] = [:])
        throws(ConfigurationError) -> GatewayConfiguration
    {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlSyntaxError(error, file: file)
        } catch {
            throw ConfigurationError(file: file, line: nil, column: nil, field: "", reason: "\(error)")
        }
        var configuration = GatewayConfiguration()
        if let root {
            let document = Field(node: root, path: "", file: file)
            try read(document, into: &configuration)
        }
        try applyEnvironment(environment, to: &configuration, file: file)
        try applyDatabaseEnvironment(environment, to: &configuration, file: file)
        return configuration
    }

    // MARK: - Sections

    private static func read(_ document: Field, into configuration: inout GatewayConfiguration) throws(ConfigurationError) {
        let fields = try document.mapping(allowedKeys: [
            "listen", "data_dir", "lightning", "database", "invoice_expiry", "upstream_pool_size",
            "upstream_timeout", "upstream_connect_timeout", "max_body_bytes", "max_header_bytes", "admin_token", "tools",
            "challenge_rate_limit", "trusted_proxies", "tool_refresh", "admin_listen", "metrics_token",
            "dashboard_session_hours",
        ])
        if let listen = fields["listen"] {
            (configuration.host, configuration.port) = try listen.hostAndPort()
        }
        if let listen = fields["admin_listen"] {
            (configuration.adminHost, configuration.adminPort) = try listen.hostAndPort()
        }
        if let token = fields["metrics_token"] { configuration.metricsToken = try token.adminToken() }
        if let hours = fields["dashboard_session_hours"] {
            configuration.dashboardSessionHours = try hours.integer(in: 1...720, unit: "hours")
        }
        if let dataDir = fields["data_dir"] { configuration.dataDirectory = try dataDir.nonEmptyString() }
        if let database = fields["database"] { try database.readDatabase(into: &configuration) }
        if let expiry = fields["invoice_expiry"] {
            configuration.invoiceExpirySeconds = try expiry.integer(in: 10...31_536_000, unit: "seconds")
        }
        if let pool = fields["upstream_pool_size"] { configuration.upstreamPoolSize = try pool.integer(in: 1...100_000) }
        if let timeout = fields["upstream_timeout"] {
            configuration.upstreamTimeoutSeconds = try timeout.integer(in: 1...86_400, unit: "seconds")
        }
        if let connect = fields["upstream_connect_timeout"] {
            configuration.upstreamConnectTimeoutSeconds = try connect.integer(in: 1...600, unit: "seconds")
        }
        if let body = fields["max_body_bytes"] { configuration.maxBodyBytes = try body.integer(in: 0...Int(Int32.max)) }
        if let header = fields["max_header_bytes"] { configuration.maxHeaderBytes = try header.integer(in: 1024...1_048_576) }
        if let token = fields["admin_token"] { configuration.adminToken = try token.adminToken() }
        if let lightning = fields["lightning"] { configuration.lightning = try LightningSettings.read(lightning) }
        if let tools = fields["tools"] { configuration.tools = try readTools(tools) }
        if let refresh = fields["tool_refresh"] {
            configuration.toolRefreshInterval = .seconds(try refresh.integer(in: 1...3600, unit: "seconds"))
        }
        if let limit = fields["challenge_rate_limit"] { configuration.challengeRateLimit = try readChallengeRateLimit(limit) }
        if let proxies = fields["trusted_proxies"] {
            configuration.trustedProxies = try proxies.sequence().map { (item) throws(ConfigurationError) in
                let address = try item.nonEmptyString()
                guard ClientAddress.canonical(address) != nil else {
                    throw item.error("'\(address)' is not an IPv4 or IPv6 address (ranges are not supported)")
                }
                return address
            }
        }
    }

    /// `{per_minute: N, burst: M}`; `per_minute: 0` switches the limit off (burst is then ignored).
    private static func readChallengeRateLimit(_ field: Field) throws(ConfigurationError) -> ChallengeRateLimit {
        let fields = try field.mapping(allowedKeys: ["per_minute", "burst"])
        var limit = ChallengeRateLimit.standard
        if let perMinute = fields["per_minute"] { limit.perMinute = try perMinute.integer(in: 0...1_000_000) }
        if let burst = fields["burst"] { limit.burst = try burst.integer(in: 1...1_000_000) }
        return limit.perMinute == 0 ? .off : limit
    }

    private static func readTools(_ field: Field) throws(ConfigurationError) -> [ToolConfiguration] {
        var tools: [ToolConfiguration] = []
        var seen: Set<String> = []
        for item in try field.sequence() {
            let tool = try ToolReader.tool(item)
            guard seen.insert(tool.slug).inserted else { throw item.error("slug '\(tool.slug)' is used by another tool") }
            tools.append(tool)
        }
        return tools
    }

    /// The environment wins over the file for the admin token and the Lightning settings, so secrets can stay out of the file.
    private static func applyEnvironment(
        _ environment: [String: String], to configuration: inout GatewayConfiguration, file: String
    ) throws(ConfigurationError) {
        func value(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        func token(_ key: String) throws(ConfigurationError) -> String? {
            guard let token = value(key) else { return nil }
            guard AdminToken.isAcceptable(token) else {
                throw ConfigurationError(file: file, line: nil, column: nil, field: key, reason: AdminToken.requirement)
            }
            return token
        }
        if let admin = try token("L402_ADMIN_TOKEN") { configuration.adminToken = admin }
        if let metrics = try token("L402_METRICS_TOKEN") { configuration.metricsToken = metrics }
        try LightningSettings.applyEnvironment(environment, to: &configuration, file: file)
    }

    private static func yamlSyntaxError(_ error: YamlError, file: String) -> ConfigurationError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let reason = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return ConfigurationError(file: file, line: mark.line, column: mark.column, field: "", reason: "invalid YAML: \(reason)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigurationError(
                file: file, line: context.mark.line, column: context.mark.column, field: "",
                reason: "duplicate key(s) \(duplicates.joined(separator: ", "))")
        default:
            return ConfigurationError(file: file, line: nil, column: nil, field: "", reason: "invalid YAML: \(error)")
        }
    }
}
