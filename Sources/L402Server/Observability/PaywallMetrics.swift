import L402
import Metrics
import Prometheus

/// The paywall's Prometheus series, recorded through swift-metrics into a registry of its own.
///
/// Each paywall owns its registry and factory instead of bootstrapping the process-wide
/// `MetricsSystem`, so several paywalls in one process (tests, embedding) never share counters.
///
/// Series: `l402_requests_total{tool,outcome}`, `l402_sats_earned_total{tool}`,
/// `l402_invoices_issued_total{tool}`, `l402_verification_duration_seconds` (histogram) and
/// `l402_upstream_duration_seconds{tool}` (histogram).
public final class PaywallMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    /// Counter of requests, by tool and outcome.
    public static let requests = "l402_requests_total"
    /// Counter of sats earned, by tool.
    public static let satsEarned = "l402_sats_earned_total"
    /// Counter of invoices issued, by tool.
    public static let invoicesIssued = "l402_invoices_issued_total"
    /// Histogram of credential verification time, in seconds.
    public static let verificationDuration = "l402_verification_duration_seconds"
    /// Histogram of upstream (or handler) time, in seconds.
    public static let upstreamDuration = "l402_upstream_duration_seconds"

    /// The metric names, to look them up.
    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Checking a credential is a hash chain and one key lookup: sub-millisecond buckets.
        factory.durationHistogramBuckets[Self.verificationDuration] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        ]
        self.factory = factory
    }

    /// One answered tool request.
    func request(tool: String, outcome: CallOutcome) {
        Counter(label: Self.requests, dimensions: [("tool", tool), ("outcome", outcome.rawValue)], factory: factory).increment()
    }

    /// Satoshis a paid call earned (its token's price divided by the token's calls).
    func earned(tool: String, sats: UInt64) {
        guard sats > 0 else { return }
        Counter(label: Self.satsEarned, dimensions: [("tool", tool)], factory: factory).increment(by: Int64(clamping: sats))
    }

    /// An invoice created on the Lightning node for a 402.
    func invoiceIssued(tool: String) {
        Counter(label: Self.invoicesIssued, dimensions: [("tool", tool)], factory: factory).increment()
    }

    /// Time spent checking one credential (successful or not).
    func verification(_ duration: Duration) {
        Timer(label: Self.verificationDuration, factory: factory).record(duration: duration)
    }

    /// Time until the upstream's response head (or its failure) for one call.
    func upstream(tool: String, _ duration: Duration) {
        Timer(label: Self.upstreamDuration, dimensions: [("tool", tool)], factory: factory).record(duration: duration)
    }

    /// Every series in the Prometheus text exposition format (version 0.0.4).
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
