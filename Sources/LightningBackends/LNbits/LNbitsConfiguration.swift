import Foundation
import Lightning

/// How to reach an LNbits wallet (LNbits 1.x) over its REST API.
///
/// Each LNbits wallet has two keys, sent as `X-Api-Key`: the **invoice key** may create invoices
/// and read payments (all a gateway needs), the **admin key** may also pay (what a paying agent needs).
public struct LNbitsConfiguration: Sendable {
    /// Environment variable names.
    public enum Key {
        /// The LNbits base URL.
        public static let url = "LNBITS_URL"
        /// The wallet's invoice key (receives only).
        public static let invoiceKey = "LNBITS_INVOICE_KEY"
        /// The wallet's admin key (can pay).
        public static let adminKey = "LNBITS_ADMIN_KEY"
    }

    /// Base URL of the LNbits instance, e.g. `https://legend.lnbits.com` or `http://127.0.0.1:5000`.
    public var url: URL
    /// The wallet key (invoice or admin). Never logged.
    public var apiKey: String
    /// How long to wait for `POST /api/v1/payments` to pay (LNbits itself answers "pending" after
    /// `LNBITS_FUNDING_SOURCE_PAY_INVOICE_WAIT_SECONDS`).
    public var paymentTimeoutSeconds: Int
    /// Deadline for calls other than payments.
    public var requestTimeoutSeconds: Int

    /// A configuration, checked: the URL, the API key and timeouts in seconds.
    public init(url: String, apiKey: String, paymentTimeoutSeconds: Int = 60, requestTimeoutSeconds: Int = 30) throws(LightningError) {
        self.url = try RESTClient.baseURL(url, setting: Key.url, requireHTTPS: false)
        let apiKey = apiKey.trimmingCharacters(in: .whitespacesAndNewlines)
        // LNbits keys are hex; anything else would not survive as a header value.
        guard !apiKey.isEmpty, apiKey.allSatisfy(\.isHexDigit) else {
            throw .configuration("the LNbits key is not a wallet key (hex, from the wallet's API info)")
        }
        self.apiKey = apiKey
        self.paymentTimeoutSeconds = paymentTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
    }

    /// Reads `LNBITS_URL` and the key named `key` (`LNBITS_INVOICE_KEY` for a gateway, `LNBITS_ADMIN_KEY`
    /// for a wallet); nil when `LNBITS_URL` is unset.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, key: String = Key.invoiceKey
    ) throws(LightningError) -> LNbitsConfiguration? {
        guard let url = environment[Key.url], !url.isEmpty else { return nil }
        guard let apiKey = environment[key], !apiKey.isEmpty else {
            throw .configuration("\(Key.url) is set but \(key) is not")
        }
        return try LNbitsConfiguration(url: url, apiKey: apiKey)
    }
}
