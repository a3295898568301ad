/// How many 402 challenges (each one a new invoice) one client may cause: YAML
/// `challenge_rate_limit: {per_minute: 60, burst: 20}`. `per_minute: 0` switches the limit off.
public struct ChallengeRateLimit: Sendable, Equatable {
    /// Challenges per minute a client may sustain; 0: no limit.
    public var perMinute: Int
    /// Challenges a client may get at once before the per-minute rate applies.
    public var burst: Int

    /// At most `perMinute` challenges per client per minute, with bursts of `burst`.
    public init(perMinute: Int, burst: Int) {
        self.perMinute = perMinute
        self.burst = burst
    }

    /// 120 a minute with bursts of 30. A pay-per-call tool (`calls: 1`) needs one challenge per
    /// paid call, so this also caps one client's paid calls per minute on such a tool.
    public static let standard = ChallengeRateLimit(perMinute: 120, burst: 30)
    /// No limit.
    public static let off = ChallengeRateLimit(perMinute: 0, burst: 0)

    /// Whether challenges are limited at all.
    public var isEnabled: Bool { perMinute > 0 && burst > 0 }
}
