import L402
import Metrics
import Prometheus

/// The paywall's Prometheus series, recorded through swift-metrics into a registry of its own.
///
/// Each paywall owns its registry and factory instead of bootstrapping the process-wide
/// `MetricsSystem`, so several paywalls in one process (tests, embedding) never share counters.
///
/// Series: `l402_requests_total{tool,outcome}`, `l402_paid_calls_total{tool,scheme}`, `l402_sats_earned_total{tool,scheme}`,
/// `l402_invoices_issued_total{tool}`, `l402_verification_duration_seconds` (histogram),
/// `l402_invoice_duration_seconds` (histogram: the Lightning node's share of a 402) and
/// `l402_upstream_duration_seconds{tool}` (histogram); for MCP tools also
/// `l402_mcp_calls_total{tool,mcp_tool,outcome}` and `l402_mcp_sats_earned_total{tool,mcp_tool}`.
/// `register(tools:)` makes a tool's counters appear at zero before its first request, so a scrape
/// never has to guess whether a series is missing or was never touched.
public final class PaywallMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    /// Counter of requests, by tool and outcome.
    public static let requests = "l402_requests_total"
    /// Counter of paid calls committed (metered in the ledger), by tool and payment scheme.
    public static let paidCalls = "l402_paid_calls_total"
    /// Counter of sats earned, by tool and payment scheme.
    public static let satsEarned = "l402_sats_earned_total"
    /// Counter of invoices issued, by tool.
    public static let invoicesIssued = "l402_invoices_issued_total"
    /// Histogram of credential verification time, in seconds.
    public static let verificationDuration = "l402_verification_duration_seconds"
    /// Histogram of the time the Lightning node took to create one invoice, in seconds.
    public static let invoiceDuration = "l402_invoice_duration_seconds"
    /// Histogram of upstream (or handler) time, in seconds.
    public static let upstreamDuration = "l402_upstream_duration_seconds"
    /// Counter of MCP tool calls, by tool and MCP tool.
    public static let mcpCalls = "l402_mcp_calls_total"
    /// Counter of sats earned by MCP tool calls, by tool and MCP tool.
    public static let mcpSatsEarned = "l402_mcp_sats_earned_total"

    /// The metric names, to look them up.
    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Checking a credential is a hash chain and one key lookup: sub-millisecond buckets.
        factory.durationHistogramBuckets[Self.verificationDuration] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        ]
        // Signing and storing an invoice on the dev node takes tens of microseconds; a remote node, milliseconds.
        factory.durationHistogramBuckets[Self.invoiceDuration] = [
            .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
            .milliseconds(1), .milliseconds(2.5), .milliseconds(10), .milliseconds(50), .milliseconds(250), .seconds(1),
        ]
        self.factory = factory
    }

    /// Puts every counter of each tool in `slugs` on the page at zero (counters already there keep
    /// their values): `l402_requests_total` for every outcome, `l402_paid_calls_total` and
    /// `l402_sats_earned_total` for every scheme, and `l402_invoices_issued_total`. Registering a tool
    /// again costs only look-ups.
    public func register(tools slugs: some Sequence<String>) {
        for tool in slugs {
            for outcome in CallOutcome.allCases { requestCounter(tool: tool, outcome: outcome) }
            for scheme in Invocation.Scheme.all {
                paidCallsCounter(tool: tool, scheme: scheme)
                earnedCounter(tool: tool, scheme: scheme)
            }
            invoicesCounter(tool: tool)
        }
    }

    /// One answered tool request.
    func request(tool: String, outcome: CallOutcome) {
        requestCounter(tool: tool, outcome: outcome).increment()
    }

    /// One paid call committed with `scheme` (`Invocation.Scheme`), and the satoshis it earned: its exact
    /// share of the purchase (`Purchase.sats(forCommittedCall:)`).
    func paidCall(tool: String, scheme: String, sats: UInt64) {
        paidCallsCounter(tool: tool, scheme: scheme).increment()
        guard sats > 0 else { return }
        earnedCounter(tool: tool, scheme: scheme).increment(by: Int64(clamping: sats))
    }

    /// One settled MCP `tools/call` request (`mcpTool`: its tool name, comma-separated for a batch):
    /// its outcome (`paid`, `free`, `upstream_error`) and the satoshis it earned.
    func mcpCall(tool: String, mcpTool: String, outcome: CallOutcome, sats: UInt64) {
        Counter(label: Self.mcpCalls, dimensions: [("tool", tool), ("mcp_tool", mcpTool), ("outcome", outcome.rawValue)], factory: factory)
            .increment()
        guard sats > 0 else { return }
        Counter(label: Self.mcpSatsEarned, dimensions: [("tool", tool), ("mcp_tool", mcpTool)], factory: factory)
            .increment(by: Int64(clamping: sats))
    }

    /// An invoice created on the Lightning node for a 402.
    func invoiceIssued(tool: String) {
        invoicesCounter(tool: tool).increment()
    }

    /// Time spent checking one credential (successful or not).
    func verification(_ duration: Duration) {
        Timer(label: Self.verificationDuration, factory: factory).record(duration: duration)
    }

    /// Time the Lightning node took to create one invoice (successful or not).
    func invoiceCreation(_ duration: Duration) {
        Timer(label: Self.invoiceDuration, factory: factory).record(duration: duration)
    }

    /// Time until the upstream's response head (or its failure) for one call.
    func upstream(tool: String, _ duration: Duration) {
        Timer(label: Self.upstreamDuration, dimensions: [("tool", tool)], factory: factory).record(duration: duration)
    }

    @discardableResult
    private func requestCounter(tool: String, outcome: CallOutcome) -> Metrics.Counter {
        Counter(label: Self.requests, dimensions: [("tool", tool), ("outcome", outcome.rawValue)], factory: factory)
    }

    @discardableResult
    private func paidCallsCounter(tool: String, scheme: String) -> Metrics.Counter {
        Counter(label: Self.paidCalls, dimensions: [("tool", tool), ("scheme", scheme)], factory: factory)
    }

    @discardableResult
    private func earnedCounter(tool: String, scheme: String) -> Metrics.Counter {
        Counter(label: Self.satsEarned, dimensions: [("tool", tool), ("scheme", scheme)], factory: factory)
    }

    @discardableResult
    private func invoicesCounter(tool: String) -> Metrics.Counter {
        Counter(label: Self.invoicesIssued, dimensions: [("tool", tool)], factory: factory)
    }

    /// Every series in the Prometheus text exposition format (version 0.0.4).
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
