import ArgumentParser
import Foundation
import L402Client
import Lightning
import LightningBackends

/// `l402 fetch --wallet …`: which wallet pays, configured from the option and the environment, and
/// the name `-v` gives it (never a secret).
struct WalletOption {
    var wallet: any Wallet
    /// E.g. `phoenixd at http://127.0.0.1:9740`.
    var name: String

    static let help = "Wallet: dev=GATEWAY_URL, lnd[=URL], phoenixd=URL, cln=URL, lnbits=URL or nwc=URI."

    /// What each wallet reads from the environment besides its URL.
    static let usage = """
        Wallets (their secrets come from the environment; see docs/lightning.md):
          dev=GATEWAY_URL  the gateway's dev node (POST /_l402/dev/pay, no real money)
          lnd[=URL]        LND: LND_REST_URL, LND_MACAROON, LND_TLS_CERT
          phoenixd=URL     phoenixd: PHOENIXD_PASSWORD
          cln=URL          Core Lightning's clnrest: CLN_RUNE, CLN_TLS_CERT
          lnbits=URL       an LNbits wallet: LNBITS_ADMIN_KEY
          nwc=URI | nwc    Nostr Wallet Connect (or NWC_URI)
        Without --wallet only cached or --credential tokens are used.
        """

    /// Parses `value` (`kind` or `kind=target`) and builds the wallet.
    static func make(
        _ value: String, feeLimitSats: UInt64, paymentTimeoutSeconds: Int,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> WalletOption {
        let kind = String(value.prefix(while: { $0 != "=" }))
        let target = value.contains("=") ? String(value.drop(while: { $0 != "=" }).dropFirst()) : nil
        func env(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        func need(_ key: String, _ what: String) throws -> String {
            guard let found = env(key) else { throw ValidationError("--wallet \(kind) needs \(key) (\(what))") }
            return found
        }
        func node(_ node: any LightningNode, _ url: URL) -> WalletOption {
            WalletOption(wallet: LightningNodeWallet(node: node, feeLimitSats: feeLimitSats), name: "\(kind) at \(Self.shown(url))")
        }
        do {
            switch kind {
            case "dev":
                guard let target, let gateway = URL(string: target), gateway.host != nil else {
                    throw ValidationError("--wallet dev needs the gateway's URL: dev=GATEWAY_URL")
                }
                return WalletOption(wallet: DevWallet(gateway: gateway), name: "dev node of \(Self.shown(gateway))")
            case "lnd":
                guard let url = target ?? env(LNDConfiguration.Key.restURL) else {
                    throw ValidationError("--wallet lnd needs LND_REST_URL (or lnd=URL), LND_MACAROON and LND_TLS_CERT")
                }
                let configuration = try LNDConfiguration(
                    restURL: url, macaroon: try need(LNDConfiguration.Key.macaroon, "hex, or the path of admin.macaroon"),
                    tlsCertificatePath: env(LNDConfiguration.Key.tlsCertificate), paymentTimeoutSeconds: paymentTimeoutSeconds)
                return node(try LNDNode(configuration: configuration), configuration.restURL)
            case "phoenixd":
                guard let url = target ?? env(PhoenixdConfiguration.Key.url) else { throw ValidationError("--wallet phoenixd=URL") }
                let configuration = try PhoenixdConfiguration(
                    url: url, password: try need(PhoenixdConfiguration.Key.password, "phoenixd's http-password"),
                    paymentTimeoutSeconds: paymentTimeoutSeconds)
                return node(try PhoenixdNode(configuration: configuration), configuration.url)
            case "cln":
                guard let url = target ?? env(CLNConfiguration.Key.restURL) else { throw ValidationError("--wallet cln=URL") }
                let configuration = try CLNConfiguration(
                    restURL: url, rune: try need(CLNConfiguration.Key.rune, "a rune allowing pay and listpays"),
                    tlsCertificatePath: env(CLNConfiguration.Key.tlsCertificate), paymentTimeoutSeconds: paymentTimeoutSeconds)
                return node(try CLNNode(configuration: configuration), configuration.restURL)
            case "lnbits":
                guard let url = target ?? env(LNbitsConfiguration.Key.url) else { throw ValidationError("--wallet lnbits=URL") }
                let configuration = try LNbitsConfiguration(
                    url: url, apiKey: try need(LNbitsConfiguration.Key.adminKey, "the wallet's admin key"),
                    paymentTimeoutSeconds: paymentTimeoutSeconds)
                return node(try LNbitsNode(configuration: configuration), configuration.url)
            case "nwc":
                // Named by its description, which shows the wallet service's key and relays, never the secret.
                let wallet = try NWCWalletOption.make(
                    uri: NWCWalletOption.uri(target: target, environment: environment), paymentTimeoutSeconds: paymentTimeoutSeconds)
                return WalletOption(wallet: wallet, name: wallet.description)
            default:
                throw ValidationError("--wallet must be dev=GATEWAY_URL, lnd[=URL], phoenixd=URL, cln=URL, lnbits=URL or nwc=URI, got \(kind)")
            }
        } catch let error as LightningError {
            throw ValidationError("--wallet \(kind): \(error)")
        }
    }

    /// A URL as `-v` shows it: scheme, host and port only (no user info, path or query).
    static func shown(_ url: URL) -> String {
        "\(url.scheme ?? "http")://\(url.host ?? "")\(url.port.map { ":\($0)" } ?? "")"
    }
}
