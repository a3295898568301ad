import Foundation
import Storage
import Testing

@testable import Gateway
@testable import L402Server

/// Every 402 creates an invoice, so each client may cause only so many: over the limit, 429 with Retry-After.
@Suite struct ChallengeRateLimitTests {
    @Test func overTheLimitAnswers429UntilTheBucketRefills() async throws {
        let clock = ManualClock(iso8601: "2026-11-25T10:00:00Z")
        try await GatewayHarness.with(
            configure: {
                $0.challengeRateLimit = ChallengeRateLimit(perMinute: 6, burst: 2)
                FreeCallTests.asProxy(&$0)
                MetricsTests.configure(&$0)
            },
            server: { $0.now = clock.now }, tools: PaymentFlowTests.standardTools
        ) { gateway in
            #expect(try await gateway.send(.GET, "/paid/a").status == 402)
            #expect(try await gateway.send(.GET, "/other/b").status == 402)  // one limit across tools
            let limited = try await gateway.send(.GET, "/paid/c")
            #expect(limited.status == 429)
            #expect(limited.headers.first(name: "Retry-After") == "10")  // 6 a minute: one every 10 s
            let error = try JSONDecoder().decode(ErrorJSON.self, from: Data(limited.body.utf8))
            #expect(error.error == "rate_limited")
            #expect(limited.headers["WWW-Authenticate"].isEmpty)

            // Another client is not affected.
            #expect(try await gateway.send(.GET, "/paid/d", headers: [("X-Forwarded-For", "198.51.100.7")]).status == 402)

            clock.advance(seconds: 9)
            let stillLimited = try await gateway.send(.GET, "/paid/e")
            #expect(stillLimited.status == 429)
            #expect(stillLimited.headers.first(name: "Retry-After") == "1")
            clock.advance(seconds: 1)
            #expect(try await gateway.send(.GET, "/paid/f").status == 402)
            #expect(try await gateway.send(.GET, "/paid/g").status == 429)

            // 4 challenges (3 for /paid/, one of them the other client's, 1 for /other/), 3 answers 429 without one.
            let metrics = try await MetricsTests.scrape(gateway)
            let rateLimited: [String: Double?] = ["paid": 3, "other": 0]
            for (tool, count) in rateLimited {
                #expect(metrics.value("l402_requests_total", ["tool": tool, "outcome": "rate_limited"]) == count)
            }
            // Two invoices per 402 (the L402 and the Payment offer's).
            #expect(metrics.value("l402_invoices_issued_total", ["tool": "paid"]) == 6)
            #expect(metrics.value("l402_invoices_issued_total", ["tool": "other"]) == 2)
        }
    }

    @Test func paidCallsAreNotLimited() async throws {
        try await GatewayHarness.with(
            configure: { $0.challengeRateLimit = ChallengeRateLimit(perMinute: 1, burst: 1) }, tools: PaymentFlowTests.standardTools
        ) { gateway in
            let token = try await gateway.buy("/multi/")
            #expect(try await gateway.send(.GET, "/multi/").status == 429)
            for _ in 0..<5 {
                #expect(try await gateway.send(.GET, "/multi/", authorization: "L402 \(token.macaroon):\(token.preimage)").status == 200)
            }
        }
    }

    @Test func offMeansUnlimited() {
        let limiter = ChallengeRateLimiter(limit: .off)
        let now = Date()
        for _ in 0..<1000 { #expect(limiter.admit("198.51.100.7", now: now) == .allowed) }
        #expect(limiter.trackedClients == 0)
    }

    @Test func memoryStaysBoundedUnderManyClients() {
        let limiter = ChallengeRateLimiter(limit: ChallengeRateLimit(perMinute: 60, burst: 5), maxClients: 100)
        let start = Date()
        for client in 0..<1000 {
            _ = limiter.admit("client-\(client)", now: start)
            #expect(limiter.trackedClients <= 100)
        }
    }

    @Test func idleClientsAreEvictedBeforeActiveOnes() {
        let limiter = ChallengeRateLimiter(limit: ChallengeRateLimit(perMinute: 60, burst: 3), maxClients: 10)
        let start = Date()
        for _ in 0..<3 { #expect(limiter.admit("busy", now: start) == .allowed) }
        #expect(limiter.admit("busy", now: start) == .limited(retryAfterSeconds: 1))
        for client in 0..<9 { _ = limiter.admit("idle-\(client)", now: start) }
        // Two seconds later the others' buckets are full again (idle); "busy" has refilled only two.
        let later = start.addingTimeInterval(2)
        for client in 0..<9 { _ = limiter.admit("new-\(client)", now: later) }
        #expect(limiter.trackedClients <= 10)
        #expect(limiter.admit("busy", now: later) == .allowed)
        #expect(limiter.admit("busy", now: later) == .allowed)
        #expect(limiter.admit("busy", now: later) == .limited(retryAfterSeconds: 1))
    }

    @Test func aClockSteppingBackDoesNotRefill() {
        let limiter = ChallengeRateLimiter(limit: ChallengeRateLimit(perMinute: 60, burst: 1))
        let start = Date()
        #expect(limiter.admit("c", now: start) == .allowed)
        #expect(limiter.admit("c", now: start.addingTimeInterval(-3600)) == .limited(retryAfterSeconds: 1))
        #expect(limiter.admit("c", now: start.addingTimeInterval(1)) == .allowed)
    }
}
