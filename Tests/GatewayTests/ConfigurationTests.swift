import Foundation
import Testing

@testable import Gateway

@Suite struct ConfigurationTests {
    @Test func fullExampleIsRead() throws {
        let yaml = """
            listen: 0.0.0.0:9000
            data_dir: /var/lib/l402
            database: /var/lib/l402/gw.sqlite
            invoice_expiry: 300
            upstream_pool_size: 128
            upstream_timeout: 20
            upstream_connect_timeout: 2
            max_body_bytes: 1048576
            max_header_bytes: 32768
            admin_token: 0123456789abcdef0123456789abcdef-admin
            lightning:
              backend: lnd
              rest_url: https://127.0.0.1:8080
              macaroon: /secrets/invoice.macaroon
              tls_cert: /secrets/tls.cert
            tools:
              - slug: weather
                upstream: http://127.0.0.1:7000/api
                price_sats: 10
                calls: 5
                valid_for: 3600
                description: Weather forecasts
                free_calls_per_day: 3
                prices:
                  - method: post
                    path_prefix: /bulk
                    price_sats: 50
                  - path_prefix: /free-ish
                    price_sats: 1
              - slug: echo
                upstream: https://example.org
                price_sats: 3
            """
        let config = try ConfigurationLoader.parse(yaml)
        #expect(config.host == "0.0.0.0" && config.port == 9000)
        #expect(config.resolvedDatabasePath == "/var/lib/l402/gw.sqlite")
        #expect(config.invoiceExpirySeconds == 300 && config.upstreamPoolSize == 128 && config.upstreamTimeoutSeconds == 20)
        #expect(config.upstreamConnectTimeoutSeconds == 2)
        #expect(config.maxBodyBytes == 1_048_576 && config.maxHeaderBytes == 32768)
        #expect(config.lightning == .lnd(restURL: "https://127.0.0.1:8080", macaroon: "/secrets/invoice.macaroon", tlsCertificatePath: "/secrets/tls.cert"))
        #expect(config.tools.map(\.slug) == ["weather", "echo"])
        let weather = try #require(config.tool(slug: "weather"))
        #expect(weather.upstream.absoluteString == "http://127.0.0.1:7000/api")
        #expect(weather.calls == 5 && weather.validForSeconds == 3600 && weather.description == "Weather forecasts")
        #expect(weather.pricing.price(method: "POST", path: "/bulk/x") == 50)
        #expect(weather.pricing.price(method: "GET", path: "/bulk/x") == 10)
        #expect(weather.pricing.price(method: "GET", path: "/free-ish") == 1)
        #expect(weather.freeCallsPerDay == 3 && weather.enabled)
        #expect(config.tool(slug: "echo")?.calls == 1)
        #expect(config.tool(slug: "echo")?.freeCallsPerDay == 0)
        #expect(config.adminToken == "0123456789abcdef0123456789abcdef-admin")
    }

    @Test func environmentSetsTheAdminTokenAndRejectsAWeakOne() throws {
        let token = String(repeating: "k", count: 40)
        #expect(try ConfigurationLoader.parse("", environment: ["L402_ADMIN_TOKEN": token]).adminToken == token)
        #expect(try ConfigurationLoader.parse("", environment: [:]).adminToken == nil)
        do {
            _ = try ConfigurationLoader.parse("", environment: ["L402_ADMIN_TOKEN": "short"])
            Issue.record("a 5-character admin token was accepted")
        } catch {
            #expect(error.field == "L402_ADMIN_TOKEN" && error.reason.contains("32 to 256"), "\(error)")
        }
    }

    /// `admin_listen`, `metrics_token` (or `L402_METRICS_TOKEN`, held to the admin token's rules) and
    /// `dashboard_session_hours`.
    @Test func operatorListenerSettingsAreRead() throws {
        let metrics = String(repeating: "p", count: 40)
        let yaml = "listen: 0.0.0.0:9000\nadmin_listen: 10.0.0.5:9001\nmetrics_token: \(metrics)\ndashboard_session_hours: 48\n"
        let config = try ConfigurationLoader.parse(yaml, environment: [:])
        #expect(config.adminHost == "10.0.0.5" && config.adminPort == 9001 && !config.adminListensOnLoopback)
        #expect(config.metricsToken == metrics && config.dashboardSessionHours == 48)
        #expect(config.listenerConflict == nil)
        let fromEnvironment = String(repeating: "q", count: 40)
        #expect(try ConfigurationLoader.parse(yaml, environment: ["L402_METRICS_TOKEN": fromEnvironment]).metricsToken == fromEnvironment)
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse("", environment: ["L402_METRICS_TOKEN": "short"]) }
        for host in ["127.0.0.1", "127.3.4.5", "::1", "localhost"] {
            #expect(try ConfigurationLoader.parse("admin_listen: \"\(host.contains(":") ? "[\(host)]" : host):1\"\n").adminListensOnLoopback, "\(host)")
        }
        #expect(try !ConfigurationLoader.parse("admin_listen: 0.0.0.0:8403\n").adminListensOnLoopback)
    }

    /// The two listeners may not share an address: the same host and port, or a wildcard on the same port.
    @Test func listenAndAdminListenMustDiffer() async throws {
        for yaml in [
            "listen: 127.0.0.1:9000\nadmin_listen: 127.0.0.1:9000\n", "listen: 0.0.0.0:9000\nadmin_listen: 127.0.0.1:9000\n",
            "listen: 127.0.0.1:8403\n",
        ] {
            let config = try ConfigurationLoader.parse(yaml)
            #expect(config.listenerConflict?.contains("must differ") == true, "\(yaml)")
            await #expect(throws: ListenerConflict.self) { try await GatewayServer(configuration: config).run(gracefulShutdownSignals: []) }
        }
        #expect(try ConfigurationLoader.parse("listen: 127.0.0.1:9000\nadmin_listen: 127.0.0.2:9000\n").listenerConflict == nil)
        #expect(try ConfigurationLoader.parse("listen: 127.0.0.1:0\nadmin_listen: 127.0.0.1:0\n").listenerConflict == nil)
    }

    @Test func defaultsApplyToAnEmptyFile() throws {
        let config = try ConfigurationLoader.parse("", environment: [:])
        #expect(config.host == "127.0.0.1" && config.port == 8402)
        #expect(config.adminHost == "127.0.0.1" && config.adminPort == 8403 && config.adminListensOnLoopback)
        #expect(config.metricsToken == nil && config.dashboardSessionHours == 12)
        #expect(config.lightning == .dev && config.invoiceExpirySeconds == 600)
        #expect(config.resolvedDatabasePath.hasSuffix("data/l402.sqlite"))
        #expect(config.tools.isEmpty)
    }

    @Test func environmentOverridesTheLNDSettings() throws {
        let env = ["LND_REST_URL": "https://10.0.0.2:8080", "LND_MACAROON": "0201abcd"]
        let config = try ConfigurationLoader.parse("lightning:\n  backend: dev\n", environment: env)
        #expect(config.lightning == .lnd(restURL: "https://10.0.0.2:8080", macaroon: "0201abcd", tlsCertificatePath: nil))
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse("", environment: ["LND_REST_URL": "https://x:1"]) }
    }

    @Test func readsEveryNodeBackendFromTheFile() throws {
        let phoenixd = try ConfigurationLoader.parse("lightning:\n  backend: phoenixd\n  url: http://127.0.0.1:9740\n  password: pw\n")
        #expect(phoenixd.lightning == .phoenixd(url: "http://127.0.0.1:9740", password: "pw"))
        let cln = try ConfigurationLoader.parse(
            "lightning:\n  backend: cln\n  rest_url: https://127.0.0.1:3010\n  rune: abc\n  tls_cert: /secrets/ca.pem\n")
        #expect(cln.lightning == .cln(restURL: "https://127.0.0.1:3010", rune: "abc", tlsCertificatePath: "/secrets/ca.pem"))
        let lnbits = try ConfigurationLoader.parse("lightning:\n  backend: lnbits\n  url: https://lnbits.example\n  invoice_key: 0a1b\n")
        #expect(lnbits.lightning == .lnbits(url: "https://lnbits.example", invoiceKey: "0a1b"))
    }

    @Test func theEnvironmentChoosesAndCompletesEachBackend() throws {
        let phoenixd = try ConfigurationLoader.parse("", environment: ["PHOENIXD_URL": "http://10.0.0.3:9740", "PHOENIXD_PASSWORD": "pw"])
        #expect(phoenixd.lightning == .phoenixd(url: "http://10.0.0.3:9740", password: "pw"))
        let cln = try ConfigurationLoader.parse(
            "", environment: ["CLN_REST_URL": "https://10.0.0.4:3010", "CLN_RUNE": "rune", "CLN_TLS_CERT": "/ca.pem"])
        #expect(cln.lightning == .cln(restURL: "https://10.0.0.4:3010", rune: "rune", tlsCertificatePath: "/ca.pem"))
        // The secret from the environment, the rest from the file.
        let lnbits = try ConfigurationLoader.parse(
            "lightning:\n  backend: lnbits\n  url: https://lnbits.example\n  invoice_key: 0a1b\n", environment: ["LNBITS_INVOICE_KEY": "ffee"])
        #expect(lnbits.lightning == .lnbits(url: "https://lnbits.example", invoiceKey: "ffee"))
        // A secret alone does not switch backends; two URLs are ambiguous; a URL needs its secret.
        #expect(try ConfigurationLoader.parse("", environment: ["CLN_RUNE": "rune"]).lightning == .dev)
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.parse("", environment: ["PHOENIXD_URL": "http://x:1", "LNBITS_URL": "http://y:2", "PHOENIXD_PASSWORD": "pw"])
        }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse("", environment: ["LNBITS_URL": "http://y:2"]) }
    }

    /// Each bad file is rejected with the line of the offending value and a reason naming the field.
    @Test(arguments: [
        ("tools:\n  - slug: a\n    upstream: http://x\n    price_sats: ten\n", 4, "tools[0].price_sats", "whole number"),
        ("tools:\n  - slug: a\n    upstream: ftp://x\n    price_sats: 1\n", 3, "tools[0].upstream", "http"),
        ("tools:\n  - slug: a\n    price_sats: 1\n", 2, "tools[0]", "missing `upstream`"),
        ("tools:\n  - slug: a/b\n    upstream: http://x\n    price_sats: 1\n", 2, "tools[0].slug", "not a valid slug"),
        ("tools:\n  - slug: _l402\n    upstream: http://x\n    price_sats: 1\n", 2, "tools[0].slug", "not a valid slug"),
        ("tools:\n  - slug: a\n    upstream: http://x\n    price_sats: 1\n    calls: 0\n", 5, "tools[0].calls", "out of range"),
        ("tools:\n  - slug: a\n    upstream: http://x\n    price_sats: 1\n  - slug: a\n    upstream: http://y\n    price_sats: 2\n", 5, "tools[1]", "used by another tool"),
        ("tools:\n  - slug: a\n    upstream: http://x\n    price_sats: 1\n    pricee: 3\n", 5, "tools[0].pricee", "unknown key"),
        ("tools:\n  - slug: a\n    upstream: http://x\n    price_sats: 1\n    prices:\n      - price_sats: 2\n", 6, "tools[0].prices[0]", "needs `method`"),
        ("tools:\n  - slug: a\n    upstream: http://x\n    price_sats: 1\n    free_calls_per_day: -1\n", 5, "tools[0].free_calls_per_day", "out of range"),
        ("admin_token: secret\n", 1, "admin_token", "32 to 256"),
        ("metrics_token: scrape\n", 1, "metrics_token", "32 to 256"),
        ("admin_listen: 8403\n", 1, "admin_listen", "host:port"),
        ("dashboard_session_hours: 0\n", 1, "dashboard_session_hours", "out of range"),
        ("dashboard_session_hours: 721\n", 1, "dashboard_session_hours", "out of range"),
        ("admin_token: \"0123456789 0123456789 0123456789 x\"\n", 1, "admin_token", "without spaces"),
        ("listen: localhost\n", 1, "listen", "host:port"),
        ("listen: 127.0.0.1:99999\n", 1, "listen", "port number"),
        ("invoice_expiry: -5\n", 1, "invoice_expiry", "out of range"),
        ("tool_refresh: 0\n", 1, "tool_refresh", "out of range"),
        ("tools:\n  - slug: a\n    upstream: http://x\n    price_sats: 1\n    enabled: maybe\n", 5, "tools[0].enabled", "true or false"),
        ("invoice_expiry: \"600\"\n", 1, "invoice_expiry", "whole number"),
        ("lightning:\n  backend: eclair\n", 2, "lightning.backend", "`dev`, `lnd`, `phoenixd`, `cln`, `lnbits`"),
        ("lightning:\n  backend: lnd\n", 2, "lightning", "needs `rest_url`"),
        ("lightning:\n  backend: dev\n  rest_url: https://x\n", 3, "lightning.rest_url", "not a setting of `backend: dev`"),
        ("lightning:\n  backend: phoenixd\n  url: http://x:9740\n", 2, "lightning", "needs `password`"),
        ("lightning:\n  backend: cln\n  rest_url: https://x:3010\n  macaroon: ab\n", 4, "lightning.macaroon", "not a setting of `backend: cln`"),
        ("lightning:\n  backend: lnbits\n  url: http://x\n  admin_key: ab\n", 4, "lightning.admin_key", "unknown key"),
        ("lightning:\n  backend: lnbits\n  url: http://x\n", 2, "lightning", "needs `invoice_key`"),
        ("tools: [\n", 2, "", "invalid YAML"),
        ("tools:\n  slug: a\n", 2, "tools", "list"),
        ("- 1\n- 2\n", 1, "", "mapping"),
    ])
    func badFileIsRejectedWithLineAndReason(yaml: String, line: Int, field: String, reason: String) {
        do {
            let config = try ConfigurationLoader.parse(yaml, file: "gw.yaml")
            Issue.record("accepted: \(config)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.field == field, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
            #expect(error.description.hasPrefix("gw.yaml:\(line):"), "\(error)")
        }
    }

    @Test func toolRefreshAndToolStateAreRead() throws {
        let config = try ConfigurationLoader.parse(
            "tool_refresh: 30\ntools:\n  - slug: a\n    upstream: http://x\n    price_sats: 1\n    enabled: false\n")
        #expect(config.toolRefreshInterval == .seconds(30))
        #expect(config.tools.first?.enabled == false)
        #expect(try ConfigurationLoader.parse("").toolRefreshInterval == .seconds(5))
    }

    @Test func missingFileIsReported() {
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(path: "/nonexistent/l402.yaml") }
    }
}
