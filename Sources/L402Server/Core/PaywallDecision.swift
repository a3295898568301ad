/// What the paywall decided about one request.
public enum PaywallDecision: Sendable {
    /// A free call of the client's daily allowance: serve it, then commit or release the reservation.
    case free(Reservation)
    /// A verified, paid call with one of its token's calls reserved: serve it, then commit or release.
    case authorized(Reservation)
    /// 402 Payment Required with fresh offers (no credential, a spent token, or a token bought for a
    /// cheaper price), or 429/503 when no challenge could be issued.
    case challenge(PaywallResponse)
    /// A credential that does not hold: for L402, 401; for `Payment`, 402 with fresh offers and an
    /// `application/problem+json` body (400 for an unsupported method); 503 when the database could
    /// not check it.
    case refusal(PaywallResponse)

    /// The reservation of a call to serve; nil when the paywall answers by itself.
    public var reservation: Reservation? {
        switch self {
        case .free(let reservation), .authorized(let reservation): reservation
        case .challenge, .refusal: nil
        }
    }

    /// The paywall's own answer; nil when the call is to be served.
    public var response: PaywallResponse? {
        switch self {
        case .free, .authorized: nil
        case .challenge(let response), .refusal(let response): response
        }
    }
}
