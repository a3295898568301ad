import Testing

@testable import Gateway
@testable import L402Server

/// YAML `challenge_rate_limit` and `trusted_proxies`.
@Suite struct ProtectionConfigurationTests {
    @Test func defaultsLimitChallengesAndTrustNoProxy() throws {
        let config = try ConfigurationLoader.parse("", environment: [:])
        #expect(config.challengeRateLimit == .standard && config.challengeRateLimit.isEnabled)
        #expect(config.trustedProxies.isEmpty)
    }

    @Test func bothAreRead() throws {
        let config = try ConfigurationLoader.parse(
            "challenge_rate_limit:\n  per_minute: 30\n  burst: 5\ntrusted_proxies:\n  - 127.0.0.1\n  - \"::1\"\n", environment: [:])
        #expect(config.challengeRateLimit == ChallengeRateLimit(perMinute: 30, burst: 5))
        #expect(config.trustedProxies == ["127.0.0.1", "::1"])
    }

    @Test func perMinuteZeroSwitchesTheLimitOff() throws {
        let config = try ConfigurationLoader.parse("challenge_rate_limit:\n  per_minute: 0\n", environment: [:])
        #expect(!config.challengeRateLimit.isEnabled)
    }

    @Test(arguments: [
        ("challenge_rate_limit:\n  per_minute: -1\n", 2, "challenge_rate_limit.per_minute", "out of range"),
        ("challenge_rate_limit:\n  burst: 0\n", 2, "challenge_rate_limit.burst", "out of range"),
        ("challenge_rate_limit:\n  per_second: 1\n", 2, "challenge_rate_limit.per_second", "unknown key"),
        ("challenge_rate_limit: 60\n", 1, "challenge_rate_limit", "mapping"),
        ("trusted_proxies:\n  - 10.0.0.0/8\n", 2, "trusted_proxies[0]", "not an IPv4 or IPv6 address"),
        ("trusted_proxies: 127.0.0.1\n", 1, "trusted_proxies", "list"),
    ])
    func badValuesAreRejected(yaml: String, line: Int, field: String, reason: String) {
        do {
            let config = try ConfigurationLoader.parse(yaml, file: "gw.yaml")
            Issue.record("accepted: \(config)")
        } catch {
            #expect(error.line == line && error.field == field && error.reason.contains(reason), "\(error)")
        }
    }
}
