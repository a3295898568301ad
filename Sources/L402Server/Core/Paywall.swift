import Foundation
import HTTPTypes
import L402
import Lightning
import Logging
import ServiceLifecycle

/// The paywall core, free of any web framework: given a request and its price, it decides whether
/// the call is free, paid (with one call reserved), refused, or answered with a 402 challenge.
///
/// The gateway (`l402 serve`) and the Hummingbird and Vapor middlewares are thin users of it: they
/// turn a request into a `PaywallRequest`, serve the call when the decision holds a `Reservation`,
/// and write the `PaywallResponse` otherwise. It owns minting, verification, price lookup, free
/// calls, the challenge rate limit, metering and metrics.
///
/// Run it as a service (`run()`): it collects expired challenges and writes ledger rows that waited
/// while the database was unreachable.
public final class Paywall: Service, Sendable {
    /// The database: root keys, call counters, ledger, free calls.
    public let store: any PaywallStore
    /// The Lightning node invoices come from.
    public let node: any LightningNode
    /// The settings this paywall was made with.
    public let settings: PaywallSettings
    /// Prometheus series of every request this paywall answered.
    public let metrics: PaywallMetrics
    /// Root keys, with paid tokens' keys cached for `settings.secretCacheLifetime`; revoke through
    /// it so the cache forgets the key at once.
    public let secrets: any SecretStore
    /// The ledger; rows the database refused while unreachable wait here until it is back.
    public let ledger: any InvocationLedger

    let minter: Minter
    let charges: PaymentCharges
    let authenticator: Authenticator
    let freeCalls: FreeCallAllowance
    let challengeLimiter: ChallengeRateLimiter
    let deferredLedger: DeferredLedger
    let collector: ExpiredChallengeCollector
    let logger: Logger
    /// The paywall's clock: free-call days, rate-limit refills, token expiry, ledger times.
    let now: @Sendable () -> Date

    /// A paywall over `store`, minting invoices on `node`.
    ///
    /// - Parameters:
    ///   - store: the database (`PaywallDatabase.sqlite(path:)`, `.postgres(url:)`, or your own store).
    ///   - node: where invoices come from: `DevNode` (moves no real money), LND, or any `LightningNode`.
    ///   - settings: the tokens' location, invoice expiry, challenge rate limit and secret cache lifetime.
    ///   - collectsDevInvoices: true with the dev node whose invoices `store` keeps, so unpaid dev invoices are collected.
    ///   - logger: where the paywall logs (never a secret).
    ///   - clock: tests move it; the default is the system clock.
    public init(
        store: any PaywallStore, node: any LightningNode, settings: PaywallSettings = PaywallSettings(),
        collectsDevInvoices: Bool = false, logger: Logger = Logger(label: "l402.paywall"),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.node = node
        self.settings = settings
        self.logger = logger
        self.now = clock
        let metrics = PaywallMetrics()
        self.metrics = metrics
        let secrets = RecentSecretsCache(store, lifetime: settings.secretCacheLifetime)
        self.secrets = secrets
        let deferredLedger = DeferredLedger(store, logger: logger) { invocation, committed in
            metrics.paidCall(tool: invocation.tool, scheme: invocation.scheme ?? Invocation.Scheme.l402, sats: committed.sats)
        }
        self.deferredLedger = deferredLedger
        self.ledger = deferredLedger
        let timedNode = InvoiceTimingNode(node: node, metrics: metrics)
        self.minter = Minter(
            node: timedNode, secrets: secrets, location: settings.location, invoiceExpirySeconds: settings.invoiceExpirySeconds,
            clock: clock)
        self.charges = PaymentCharges(
            node: timedNode, secrets: secrets, usage: store, realm: settings.location, invoiceExpirySeconds: settings.invoiceExpirySeconds,
            bindingKey: BindingKey { [store] in
                // Every gateway of the database binds with the same key, so any of them verifies any challenge.
                try await store.serverSecret(named: "payment-binding", candidate: ChallengeBinding.randomSecret())
            })
        self.authenticator = Authenticator(secrets: secrets, usage: store)
        self.freeCalls = FreeCallAllowance(store: store, logger: logger)
        self.challengeLimiter = ChallengeRateLimiter(limit: settings.challengeRateLimit)
        // Often enough that a lease is given back within about half its lifetime of expiring.
        let interval = min(Duration.seconds(min(60, max(1, settings.invoiceExpirySeconds / 4))), max(.seconds(1), settings.leaseLifetime / 2))
        self.collector = ExpiredChallengeCollector(
            secrets: store, devInvoices: collectsDevInvoices ? store : nil, interval: interval, logger: logger, freeCalls: store,
            now: clock, leases: store, leaseLifetime: settings.leaseLifetime)
    }

    /// Decides what to do with `request` to the tool or route priced by `pricing`.
    public func decide(_ request: PaywallRequest, pricing: Pricing) async -> PaywallDecision {
        await decide(request, pricing: pricing, authorization: request.headers[.authorization])
    }

    /// Like `decide(_:pricing:)`, with the credential given apart from the header fields (an MCP
    /// client may send it inside the JSON-RPC body's `_meta`). A `Payment` credential is read from
    /// `authorization` or, when that holds none of ours, from `Payment-Authorization`.
    public func decide(_ request: PaywallRequest, pricing: Pricing, authorization: String?) async -> PaywallDecision {
        let price = pricing.price(method: request.method, path: request.path)
        let mcpTool = request.mcpTools.isEmpty ? nil : request.mcpTools.joined(separator: ",")
        if let credential = Self.paymentCredential(authorization: authorization, headers: request.headers) {
            return await decidePayment(credential, request: request, pricing: pricing, price: price, mcpTool: mcpTool)
        }
        guard let authorization, Self.isL402Scheme(authorization) else {
            // No credential at all (absent, or another scheme such as Bearer): a free call if
            // the client has one left today, else an offer to pay.
            if let client = request.accountKey, let grant = await freeCalls.take(pricing: pricing, client: client, now: now()) {
                return .free(freeReservation(grant, mcpTool: mcpTool))
            }
            return .challenge(await challenge(pricing: pricing, priceSats: price, because: nil, request: request))
        }
        let context = ProtectedRequest(
            tool: pricing.tool, method: request.method, path: request.path, now: now(), mcpTools: request.mcpTools)
        let verificationStarted = ContinuousClock.now
        let call: AuthorizedCall
        do {
            call = try await authenticator.authenticate(authorization: authorization, request: context)
            metrics.verification(ContinuousClock.now - verificationStarted)
        } catch {
            metrics.verification(ContinuousClock.now - verificationStarted)
            var response = await refusal(error, pricing: pricing, priceSats: price, request: request)
            response.tokenID = NamedToken.id(in: authorization)
            return error == .spent ? .challenge(response) : .refusal(response)
        }
        guard call.amountSats >= price else {
            // A token bought at a cheaper rule of this tool does not pay for a dearer request.
            await giveBack(call.lease)
            var response = await challenge(
                pricing: pricing, priceSats: price,
                because: ("insufficient_amount", "this request costs \(price) sats; the token was paid \(call.amountSats)"),
                request: request)
            response.tokenID = call.tokenID
            return .challenge(response)
        }
        return .authorized(paidReservation(call, tool: pricing.tool, mcpTool: mcpTool))
    }

    /// Counts and logs one answered request (the one log line per request): call it once the
    /// response is known, whatever the decision was.
    public func finish(
        tool: String, outcome: CallOutcome, status: Int, tokenID: TokenID?, client: String?, reason: String?, since started: ContinuousClock.Instant
    ) {
        metrics.request(tool: tool, outcome: outcome)
        logger.logRequest(
            tool: tool, outcome: outcome, status: status, tokenID: tokenID, client: client, reason: reason,
            latency: ContinuousClock.now - started)
    }

    /// `finish` for an answer the paywall made itself (a challenge, a refusal, an unreadable body):
    /// its outcome, status, token and reason come from `own`.
    public func finish(_ own: PaywallResponse, tool: String, client: String?, since started: ContinuousClock.Instant) {
        finish(
            tool: tool, outcome: own.outcome, status: own.status.code, tokenID: own.tokenID, client: client, reason: own.reason,
            since: started)
    }

    /// Runs the background work until the service group shuts down (or the task is cancelled):
    /// giving back call leases left unsettled (at once, for a restart after a crash, then with the
    /// collection of expired challenges), and writing ledger rows that waited for the database.
    public func run() async throws {
        await collector.giveBackExpiredLeases(now: now())
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.collector.run() }
            group.addTask { try await self.deferredLedger.run() }
        }
    }

    /// Whether the Authorization value claims to be an L402 (or LSAT) credential.
    /// Looks at the first bytes only: the header can be kilobytes long and this runs on every call.
    public static func isL402Scheme(_ value: String) -> Bool {
        let scheme = authScheme(value)
        return scheme == Array("l402".utf8) || scheme == Array("lsat".utf8)
    }

    /// Whether the value claims to be a `Payment` credential (its first bytes only, as `isL402Scheme`).
    public static func isPaymentScheme(_ value: String) -> Bool {
        authScheme(value) == Array("payment".utf8)
    }

    /// The `Payment` credential of a request: `authorization` when it is one; else, unless it is an
    /// L402 credential, `Payment-Authorization` (whatever it holds: a value of another scheme there
    /// is refused as malformed, not ignored).
    static func paymentCredential(authorization: String?, headers: HTTPFields) -> String? {
        if let authorization {
            if isPaymentScheme(authorization) { return authorization }
            if isL402Scheme(authorization) { return nil }
        }
        return headers[.paymentAuthorization]
    }

    /// The auth scheme's name, lower-cased, from at most the first 8 bytes after leading spaces.
    private static func authScheme(_ value: String) -> [UInt8] {
        var bytes = value.utf8.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.prefix(8).makeIterator()
        var scheme: [UInt8] = []
        while let byte = bytes.next(), byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") { scheme.append(byte | 0x20) }
        return scheme
    }
}
