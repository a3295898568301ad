import L402

/// How the gateway answered one request to a tool: the `outcome` of the request log line and
/// the `outcome` label of `l402_requests_total`.
public enum CallOutcome: String, Sendable, CaseIterable {
    /// A valid credential: the upstream answered (below 500) and the call was spent.
    case paid
    /// A free call of the tool's daily allowance, answered by the upstream.
    case free
    /// A 402 with a fresh invoice (no credential, a spent token, or one paid for a cheaper rule).
    case challenged
    /// A credential that does not hold (forged, wrong preimage, expired, wrong tool…): 401.
    case refused
    /// The upstream failed (5xx, timeout, unreachable); the paid or free call was given back.
    case upstreamError = "upstream_error"
    /// Too many challenges from this client: 429.
    case rateLimited = "rate_limited"
    /// The gateway could not reach its Lightning node or database: 503.
    case unavailable

    /// The `Invocation.Outcome` a forwarded call is recorded with; nil for answers that are not invocations.
    public var ledgerOutcome: String? {
        switch self {
        case .paid: Invocation.Outcome.paid
        case .free: Invocation.Outcome.free
        case .upstreamError: Invocation.Outcome.upstreamError
        case .challenged, .refused, .rateLimited, .unavailable: nil
        }
    }
}
