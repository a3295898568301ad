import Foundation

/// The `lightning` section of the gateway's config and the environment variables of each backend:
/// one table, so the YAML keys, the variables and the messages never drift apart.
///
/// The environment wins over the file, so secrets can stay out of it. A backend's URL variable
/// (`LND_REST_URL`, `PHOENIXD_URL`, `CLN_REST_URL`, `LNBITS_URL`) switches the gateway to that
/// backend; its other variables alone only override the file's settings of the same backend.
enum LightningSettings {
    /// One setting: its YAML key, its environment variable, whether it must be given.
    struct Setting {
        var key: String
        var variable: String
        var required: Bool
        var hint: String = ""
    }

    /// A real node backend: its name in `backend:`, its settings (the first is its URL), and how
    /// the settings make a `LightningBackend`.
    struct Backend: Sendable {
        var name: String
        var settings: [Setting]
        var make: @Sendable ([String: String]) -> LightningBackend
        var urlSetting: Setting { settings[0] }
    }

    static let backends: [Backend] = [
        Backend(
            name: "lnd",
            settings: [
                Setting(key: "rest_url", variable: "LND_REST_URL", required: true),
                Setting(key: "macaroon", variable: "LND_MACAROON", required: true, hint: ": hex, or the path of the .macaroon file"),
                Setting(key: "tls_cert", variable: "LND_TLS_CERT", required: false),
            ],
            make: { .lnd(restURL: $0["rest_url"]!, macaroon: $0["macaroon"]!, tlsCertificatePath: $0["tls_cert"]) }),
        Backend(
            name: "phoenixd",
            settings: [
                Setting(key: "url", variable: "PHOENIXD_URL", required: true),
                Setting(key: "password", variable: "PHOENIXD_PASSWORD", required: true, hint: ": the http-password from phoenix.conf"),
            ],
            make: { .phoenixd(url: $0["url"]!, password: $0["password"]!) }),
        Backend(
            name: "cln",
            settings: [
                Setting(key: "rest_url", variable: "CLN_REST_URL", required: true),
                Setting(key: "rune", variable: "CLN_RUNE", required: true, hint: ": from `lightning-cli createrune`"),
                Setting(key: "tls_cert", variable: "CLN_TLS_CERT", required: false),
            ],
            make: { .cln(restURL: $0["rest_url"]!, rune: $0["rune"]!, tlsCertificatePath: $0["tls_cert"]) }),
        Backend(
            name: "lnbits",
            settings: [
                Setting(key: "url", variable: "LNBITS_URL", required: true),
                Setting(key: "invoice_key", variable: "LNBITS_INVOICE_KEY", required: true, hint: ": the wallet's invoice/read key"),
            ],
            make: { .lnbits(url: $0["url"]!, invoiceKey: $0["invoice_key"]!) }),
    ]

    static var allNames: String { (["dev"] + backends.map(\.name)).map { "`\($0)`" }.joined(separator: ", ") }

    /// The backend and its settings as the file gave them (nil for the dev node).
    static func fileSettings(_ backend: LightningBackend) -> (name: String, values: [String: String])? {
        switch backend {
        case .dev: nil
        case .lnd(let url, let macaroon, let cert):
            ("lnd", ["rest_url": url, "macaroon": macaroon].merging(cert.map { ["tls_cert": $0] } ?? [:]) { $1 })
        case .phoenixd(let url, let password): ("phoenixd", ["url": url, "password": password])
        case .cln(let url, let rune, let cert):
            ("cln", ["rest_url": url, "rune": rune].merging(cert.map { ["tls_cert": $0] } ?? [:]) { $1 })
        case .lnbits(let url, let key): ("lnbits", ["url": url, "invoice_key": key])
        }
    }

    /// Reads `lightning: {backend, …}`; every key must belong to the chosen backend.
    static func read(_ field: Field) throws(ConfigurationError) -> LightningBackend {
        let allKeys = Set(backends.flatMap { $0.settings.map(\.key) } + ["backend"])
        let fields = try field.mapping(allowedKeys: allKeys)
        let name = try fields["backend"]?.nonEmptyString() ?? "dev"
        guard let backend = backends.first(where: { $0.name == name }) else {
            guard name == "dev" else { throw fields["backend"]!.error("expected one of \(allNames), got '\(name)'") }
            if let stray = fields.first(where: { $0.key != "backend" }) {
                throw stray.value.error("`\(stray.key)` is not a setting of `backend: dev`")
            }
            return .dev
        }
        let own = Set(backend.settings.map(\.key))
        if let stray = fields.first(where: { $0.key != "backend" && !own.contains($0.key) }) {
            throw stray.value.error("`\(stray.key)` is not a setting of `backend: \(name)`")
        }
        var values: [String: String] = [:]
        for setting in backend.settings {
            if let value = fields[setting.key] {
                values[setting.key] = try value.nonEmptyString()
            } else if setting.required {
                throw field.error("`backend: \(name)` needs `\(setting.key)`\(setting.hint) (or \(setting.variable))")
            }
        }
        return backend.make(values)
    }

    /// Applies the backends' environment variables to what the file chose.
    static func applyEnvironment(
        _ environment: [String: String], to configuration: inout GatewayConfiguration, file: String
    ) throws(ConfigurationError) {
        func value(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        func failure(_ reason: String) -> ConfigurationError {
            ConfigurationError(file: file, line: nil, column: nil, field: "lightning", reason: reason)
        }
        let switching = backends.filter { value($0.urlSetting.variable) != nil }
        guard switching.count <= 1 else {
            throw failure("set only one of \(switching.map(\.urlSetting.variable).joined(separator: ", ")): each chooses a backend")
        }
        let fromFile = fileSettings(configuration.lightning)
        guard let backend = switching.first ?? backends.first(where: { $0.name == fromFile?.name }) else { return }
        var values = fromFile?.name == backend.name ? fromFile!.values : [:]
        for setting in backend.settings {
            if let overriding = value(setting.variable) { values[setting.key] = overriding }
        }
        for setting in backend.settings where setting.required && values[setting.key] == nil {
            throw failure("\(backend.urlSetting.variable) is set but no \(setting.key) is given (\(setting.variable) or `lightning.\(setting.key)`)")
        }
        configuration.lightning = backend.make(values)
    }
}
