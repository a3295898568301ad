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

    /// Settings: the tokens' `location`, invoice expiry, the challenge rate limit and how long verified secrets are cached.
    public init(
        location: String = "l402", invoiceExpirySeconds: Int = 600, challengeRateLimit: ChallengeRateLimit = .standard,
        secretCacheLifetime: Duration = .seconds(2)
    ) {
        self.location = location
        self.invoiceExpirySeconds = invoiceExpirySeconds
        self.challengeRateLimit = challengeRateLimit
        self.secretCacheLifetime = secretCacheLifetime
    }
}
