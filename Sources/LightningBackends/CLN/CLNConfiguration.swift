import Foundation
import Lightning

/// How to reach Core Lightning (24.x or newer) through its `clnrest` plugin.
///
/// `clnrest` serves HTTPS with certificates it generates (`ca.pem`, `server.pem` in `rest-certs`,
/// by default the node's network directory); we trust exactly the one given. Every call carries a
/// rune in the `Rune` header, restricted to the methods the caller needs (see docs/lightning.md).
public struct CLNConfiguration: Sendable {
    /// Environment variable names.
    public enum Key {
        /// The clnrest base URL.
        public static let restURL = "CLN_REST_URL"
        /// The rune (secret) that authorizes the calls.
        public static let rune = "CLN_RUNE"
        /// The TLS certificate (PEM file path) to trust.
        public static let tlsCertificate = "CLN_TLS_CERT"
    }

    /// Base URL of `clnrest`, e.g. `https://127.0.0.1:3010`.
    public var restURL: URL
    /// The rune. Never logged.
    public var rune: String
    /// PEM certificate to trust (clnrest's `ca.pem`); nil trusts the system roots (clnrest behind a CA-signed proxy).
    public var tlsCertificatePath: String?
    /// How long `pay` keeps trying (its `retry_for`).
    public var paymentTimeoutSeconds: Int
    /// Deadline for calls other than payments.
    public var requestTimeoutSeconds: Int

    /// A configuration, checked: the URL, the rune, an optional certificate to trust, and timeouts in seconds.
    public init(
        restURL: String, rune: String, tlsCertificatePath: String?, paymentTimeoutSeconds: Int = 60, requestTimeoutSeconds: Int = 30
    ) throws(LightningError) {
        self.restURL = try RESTClient.baseURL(restURL, setting: Key.restURL, requireHTTPS: true)
        let rune = rune.trimmingCharacters(in: .whitespacesAndNewlines)
        // A rune is URL-safe base64; anything else would not survive as a header value.
        guard !rune.isEmpty, rune.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_=".contains($0)) }) else {
            throw .configuration("\(Key.rune) is not a rune (URL-safe base64, as `lightning-cli createrune` prints it)")
        }
        self.rune = rune
        if let tlsCertificatePath, !FileManager.default.isReadableFile(atPath: tlsCertificatePath) {
            throw .configuration("\(Key.tlsCertificate): cannot read '\(tlsCertificatePath)'")
        }
        self.tlsCertificatePath = tlsCertificatePath
        self.paymentTimeoutSeconds = paymentTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
    }

    /// Reads `CLN_REST_URL`, `CLN_RUNE`, `CLN_TLS_CERT`; nil when `CLN_REST_URL` is unset.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LightningError) -> CLNConfiguration? {
        guard let url = environment[Key.restURL], !url.isEmpty else { return nil }
        return try fromEnvironment(environment, restURL: url)
    }

    /// `CLN_RUNE` and `CLN_TLS_CERT` from the environment, for the node at `restURL`.
    public static func fromEnvironment(_ environment: [String: String], restURL: String) throws(LightningError) -> CLNConfiguration {
        guard let rune = environment[Key.rune], !rune.isEmpty else {
            throw .configuration("Core Lightning needs \(Key.rune) (a rune from `lightning-cli createrune`)")
        }
        let certificate = environment[Key.tlsCertificate].flatMap { $0.isEmpty ? nil : $0 }
        return try CLNConfiguration(restURL: restURL, rune: rune, tlsCertificatePath: certificate)
    }
}
