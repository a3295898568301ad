import Lightning
import ByteEncoding
import Foundation

/// How to reach an LND node over its REST API.
///
/// LND serves REST over HTTPS with a self-signed certificate (`tls.cert` in its data directory);
/// we trust exactly that certificate. Requests carry a macaroon (admin, or one baked with the
/// invoice and offchain permissions) as the `Grpc-Metadata-macaroon` header, hex-encoded.
public struct LNDConfiguration: Sendable {
    /// Environment variable names, also the keys of the gateway's config file.
    public enum Key {
        /// The REST base URL, e.g. `https://127.0.0.1:8080`.
        public static let restURL = "LND_REST_URL"
        /// The macaroon, as a file path or hex.
        public static let macaroon = "LND_MACAROON"
        /// The TLS certificate (PEM file path) to trust.
        public static let tlsCertificate = "LND_TLS_CERT"
    }

    /// Base URL of LND's REST listener, e.g. `https://127.0.0.1:8080`.
    public var restURL: URL
    /// The macaroon, hex-encoded as the header wants it. Never logged.
    public var macaroonHex: String
    /// PEM file of the node's TLS certificate; nil trusts the system roots (LND behind a CA-signed proxy).
    public var tlsCertificatePath: String?
    /// How long LND may try to route one payment (`timeout_seconds` of `/v2/router/send`).
    public var paymentTimeoutSeconds: Int
    /// Deadline for calls other than payments. AsyncHTTPClient keeps retrying a refused connection
    /// until then, so this is also how long a call to a node that is down takes to fail.
    public var requestTimeoutSeconds: Int

    /// - Parameters:
    ///   - restURL: `https://host:port` of LND's REST listener.
    ///   - macaroon: the macaroon as hex, or the path of the binary `.macaroon` file.
    ///   - tlsCertificatePath: the node's `tls.cert` (PEM).
    public init(
        restURL: String, macaroon: String, tlsCertificatePath: String?,
        paymentTimeoutSeconds: Int = 60, requestTimeoutSeconds: Int = 30
    ) throws(LightningError) {
        guard let url = URL(string: restURL), url.scheme?.lowercased() == "https", url.host != nil else {
            throw .configuration("\(Key.restURL) must be an https:// URL with a host (LND serves REST over TLS), got '\(restURL)'")
        }
        self.restURL = url
        self.macaroonHex = try Self.macaroonHex(from: macaroon)
        if let tlsCertificatePath, !FileManager.default.isReadableFile(atPath: tlsCertificatePath) {
            throw .configuration("\(Key.tlsCertificate): cannot read '\(tlsCertificatePath)'")
        }
        self.tlsCertificatePath = tlsCertificatePath
        self.paymentTimeoutSeconds = paymentTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
    }

    /// Reads `LND_REST_URL`, `LND_MACAROON`, `LND_TLS_CERT`. Returns nil when `LND_REST_URL` is unset
    /// (use the dev node); throws when it is set but the rest is missing or unreadable.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LightningError) -> LNDConfiguration? {
        guard let url = environment[Key.restURL], !url.isEmpty else { return nil }
        guard let macaroon = environment[Key.macaroon], !macaroon.isEmpty else {
            throw .configuration("\(Key.restURL) is set but \(Key.macaroon) is not (hex, or the path of admin.macaroon)")
        }
        let cert = environment[Key.tlsCertificate].flatMap { $0.isEmpty ? nil : $0 }
        return try LNDConfiguration(restURL: url, macaroon: macaroon, tlsCertificatePath: cert)
    }

    /// Hex as given, or the hex of the binary file at that path.
    static func macaroonHex(from value: String) throws(LightningError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if let bytes = try? Hex.decode(trimmed), !bytes.isEmpty { return Hex.encode(bytes) }
        guard let data = FileManager.default.contents(atPath: trimmed) else {
            // Echo the value only when it looks like a path: a mistyped hex macaroon is still a secret.
            let shown = trimmed.contains("/") ? ": '\(trimmed)'" : ""
            throw .configuration("\(Key.macaroon) is neither hex nor the path of a readable file\(shown)")
        }
        guard !data.isEmpty else { throw .configuration("\(Key.macaroon) file '\(trimmed)' is empty") }
        return Hex.encode(data)
    }
}
