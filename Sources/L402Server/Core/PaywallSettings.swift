/// How a `Paywall` issues challenges and keeps its caches.
public struct PaywallSettings: Sendable, Equatable {
    /// Written into macaroons as their location (informational).
    public var location: String
    /// How long invoices stay payable, in seconds.
    public var invoiceExpirySeconds: Int
    /// How many 402 challenges (each a new invoice) one client may cause.
    public var challengeRateLimit: ChallengeRateLimit
    /// How long the root key of a paid token is remembered in memory before the database is asked
    /// again: also how long a revocation made by another process sharing the database takes to
    /// reach this one.
    public var secretCacheLifetime: Duration
    /// How long a paid call's lease may stay neither committed nor released before it is given back
    /// to its token (its process died or lost it). Make it longer than any call takes to be served:
    /// a lease given back while its call is still running lets the call be served once more.
    /// The gateway uses its upstream timeout plus `leaseMargin`.
    public var leaseLifetime: Duration

    /// What a lease lifetime adds to the longest a call may take: the commit's own wait for the
    /// database, and clock differences between gateways sharing one.
    public static let leaseMargin: Duration = .seconds(10)

    /// Settings: the tokens' `location`, invoice expiry, the challenge rate limit and how long verified secrets are cached.
    public init(
        location: String = "l402", invoiceExpirySeconds: Int = 600, challengeRateLimit: ChallengeRateLimit = .standard,
        secretCacheLifetime: Duration = .seconds(2), leaseLifetime: Duration = .seconds(300)
    ) {
        self.location = location
        self.invoiceExpirySeconds = invoiceExpirySeconds
        self.challengeRateLimit = challengeRateLimit
        self.secretCacheLifetime = secretCacheLifetime
        self.leaseLifetime = leaseLifetime
    }

    /// The lease lifetime for calls that take at most `timeout` (e.g. an upstream timeout): `timeout + leaseMargin`.
    public static func leaseLifetime(forCallsTakingAtMost timeout: Duration) -> Duration {
        timeout + leaseMargin
    }
}
