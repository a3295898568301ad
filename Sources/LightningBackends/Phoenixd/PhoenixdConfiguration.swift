import Foundation
import Lightning

/// How to reach a phoenixd (ACINQ's Lightning server, 0.5 or newer) over its HTTP API.
///
/// phoenixd listens on `http://127.0.0.1:9740` and takes HTTP basic auth with an empty user name
/// and a password from `~/.phoenix/phoenix.conf`: `http-password` may do everything,
/// `http-password-limited-access` may create invoices and read, not pay (enough for a gateway).
public struct PhoenixdConfiguration: Sendable {
    /// Environment variable names.
    public enum Key {
        /// The phoenixd HTTP API base URL.
        public static let url = "PHOENIXD_URL"
        /// The HTTP password phoenixd generated.
        public static let password = "PHOENIXD_PASSWORD"
    }

    /// Base URL of phoenixd's HTTP API, e.g. `http://127.0.0.1:9740`.
    public var url: URL
    /// The API password. Never logged.
    public var password: String
    /// How long one payment may take (phoenixd answers `/payinvoice` once it succeeded or failed).
    public var paymentTimeoutSeconds: Int
    /// Deadline for calls other than payments.
    public var requestTimeoutSeconds: Int

    /// A configuration, checked: the URL, the password and timeouts in seconds.
    public init(url: String, password: String, paymentTimeoutSeconds: Int = 60, requestTimeoutSeconds: Int = 30) throws(LightningError) {
        self.url = try RESTClient.baseURL(url, setting: Key.url, requireHTTPS: false)
        guard !password.isEmpty else { throw .configuration("\(Key.password) is empty (phoenixd's http-password from phoenix.conf)") }
        self.password = password
        self.paymentTimeoutSeconds = paymentTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
    }

    /// Reads `PHOENIXD_URL` and `PHOENIXD_PASSWORD`; nil when `PHOENIXD_URL` is unset.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LightningError) -> PhoenixdConfiguration? {
        guard let url = environment[Key.url], !url.isEmpty else { return nil }
        guard let password = environment[Key.password], !password.isEmpty else {
            throw .configuration("\(Key.url) is set but \(Key.password) is not")
        }
        return try PhoenixdConfiguration(url: url, password: password)
    }
}
