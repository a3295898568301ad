import Foundation
import HTTPTypes
import L402
import Synchronization

/// One call the paywall lets through, held until the call's outcome is known.
///
/// Serve the call, then **commit** it once the response is produced (the call is spent and a ledger
/// row written with the sats it earned, in one transaction: the token's n-th call earns its exact
/// share of the purchase, see `Purchase.sats(forCommittedCall:)`) or **release** it when the handler
/// or upstream failed (a paid call goes back to its token and a free call to the client's allowance,
/// so the client retries without paying twice). Only the first of the two counts. A reservation
/// dropped without either is released; one whose process dies is given back when its lease expires
/// (`PaywallSettings.leaseLifetime`).
public final class Reservation: Sendable {
    /// Whether the call was paid for or free.
    public enum Kind: Sendable, Equatable {
        /// Paid with a token.
        case paid
        /// One of the client's free calls of the day.
        case free
    }

    /// Whether the call is paid or free.
    public let kind: Kind
    /// The priced tool or route (the ledger's `tool`).
    public let tool: String
    /// The verified token of a paid call; nil for a free call. A `Payment` charge's token is its
    /// one call, named by the charge's payment hash.
    public let token: VerifiedToken?
    /// The scheme whose credential paid for the call; nil for a free call.
    public let scheme: PaymentScheme?
    /// Header fields the served call's response must carry when it succeeds (below 500): a `Payment`
    /// charge's `Payment-Receipt` and `Cache-Control: private`; empty otherwise. `addResponseHeaders(to:)` sets them.
    public let responseHeaders: HTTPFields

    private let settler: Settler
    private let settled = Mutex(false)

    /// What committing and releasing do: the paywall's stores, kept out of the handler's way.
    struct Settler: Sendable {
        let commit: @Sendable (_ status: Int, _ latency: Duration) async -> Void
        let release: @Sendable (_ status: Int?, _ latency: Duration) async -> Void
    }

    init(
        kind: Kind, tool: String, token: VerifiedToken?, scheme: PaymentScheme? = nil, responseHeaders: HTTPFields = [:],
        settler: Settler
    ) {
        self.kind = kind
        self.tool = tool
        self.token = token
        self.scheme = scheme
        self.responseHeaders = responseHeaders
        self.settler = settler
    }

    /// Sets `responseHeaders` on a successful response's fields, replacing fields of the same names
    /// (a paid answer is `Cache-Control: private`, whatever the handler or upstream said).
    public func addResponseHeaders(to fields: inout HTTPFields) {
        var done = Set<HTTPField.Name>()
        // In the order they were given (a Set alone would shuffle them from one response to the next).
        for name in responseHeaders.map(\.name) where done.insert(name).inserted {
            fields[values: name] = responseHeaders[values: name]
        }
    }

    /// The call was served (`status` is the response's, `latency` the time the handler or upstream took):
    /// spends it and writes its ledger row. Does nothing after the first commit or release.
    public func commit(status: Int, latency: Duration) async {
        guard settle() else { return }
        await settler.commit(status, latency)
    }

    /// The call failed (`status` when there was an answer): gives the call back and writes an
    /// `upstream_error` row with 0 sats. Does nothing after the first commit or release.
    public func release(status: Int? = nil, latency: Duration = .zero) async {
        guard settle() else { return }
        await settler.release(status, latency)
    }

    /// Settles the call by its outcome, the rule every frontend shares: a response below 500 commits
    /// it; a 5xx answer, or none at all (`status` nil: the handler threw, the upstream was
    /// unreachable), releases it. Returns how the call is counted: `.paid`, `.free` or `.upstreamError`.
    @discardableResult
    public func settle(status: Int?, latency: Duration) async -> CallOutcome {
        if let status, status < 500 {
            await commit(status: status, latency: latency)
            return kind == .paid ? .paid : .free
        }
        await release(status: status, latency: latency)
        return .upstreamError
    }

    /// Whether neither commit nor release has run yet.
    public var isPending: Bool { settled.withLock { !$0 } }

    private func settle() -> Bool {
        settled.withLock { done in
            defer { done = true }
            return !done
        }
    }

    deinit {
        // A handler that threw or was cancelled: the call was not served, so it is given back.
        guard settle() else { return }
        let release = settler.release
        Task { await release(nil, .zero) }
    }
}
