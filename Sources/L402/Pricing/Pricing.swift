/// What a paywall charges for one tool (or one route of an app): the price of a token, the calls
/// it buys, how long it stays valid, the rules that price some requests differently, and the calls
/// each client may make per day without paying.
///
/// `tool` names the purchase: it goes into the macaroon's `tool` caveat and the ledger.
public struct Pricing: Sendable, Equatable {
    /// The name a token is bought for: letters, digits, `-`, `_`, `.` (the `tool` caveat).
    public var tool: String
    /// Price of one token, in satoshis, unless a rule says otherwise.
    public var sats: UInt64
    /// Calls one token buys (1: pay per request).
    public var calls: Int
    /// Seconds a token stays valid after it is issued; nil: until its calls are used.
    public var validForSeconds: Int?
    /// The invoice's description; nil: `L402 <tool>`.
    public var memo: String?
    /// Prices for some methods or path prefixes; the first rule that matches wins.
    public var rules: [PriceRule]
    /// Calls each client may make per UTC day without paying; 0: none.
    public var freeCallsPerDay: Int
    /// Restrictions minted into every token sold at this price, after `tool` and `amount_sats`
    /// (e.g. `mcp_tool=search` for a token that pays for one MCP tool only).
    public var caveats: [L402Caveat]
    /// The schemes offered and accepted (both by default). A `Payment` charge buys one call at the
    /// request's price, whatever `calls` an L402 token buys.
    public var schemes: [PaymentScheme]

    /// A price for `tool`: `sats` for a token of `calls` calls, valid for `validForSeconds` (nil: until used up), with `memo` on the invoice, per-route `rules`, `freeCallsPerDay` free calls per client, offered under `schemes`.
    public init(
        tool: String, sats: UInt64, calls: Int = 1, validForSeconds: Int? = nil, memo: String? = nil, rules: [PriceRule] = [],
        freeCallsPerDay: Int = 0, caveats: [L402Caveat] = [], schemes: [PaymentScheme] = PaymentScheme.all
    ) {
        self.schemes = schemes
        self.caveats = caveats
        self.tool = tool
        self.sats = sats
        self.calls = calls
        self.validForSeconds = validForSeconds
        self.memo = memo
        self.rules = rules
        self.freeCallsPerDay = freeCallsPerDay
    }

    /// The price of a request with `method` to `path` (the canonical path below the tool, starting with `/`).
    public func price(method: String, path: String) -> UInt64 {
        rules.first { $0.matches(method: method, path: path) }?.priceSats ?? sats
    }

    /// The invoice description.
    public var invoiceMemo: String { memo ?? "L402 \(tool)" }

    /// Whether `scheme` is offered and accepted.
    public func offers(_ scheme: PaymentScheme) -> Bool { schemes.contains(scheme) }
}
