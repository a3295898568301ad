import L402
import Foundation
import Logging
import Storage
import Testing

@testable import Gateway
@testable import L402Server

/// A tool's `free_calls_per_day`: each client gets that many unpaid calls per UTC day, counted in
/// the database; a free call the upstream fails is given back.
@Suite struct FreeCallTests {
    static func tools(freeCalls: Int) -> @Sendable ([Int]) -> [ToolConfiguration] {
        { ports in
            var tool = ToolConfiguration(slug: "free", upstream: URL(string: "http://127.0.0.1:\(ports[0])")!, priceSats: 3)
            tool.freeCallsPerDay = freeCalls
            return [tool]
        }
    }

    /// The loopback peer is a trusted proxy here, so `X-Forwarded-For` can play other clients.
    static func asProxy(_ configuration: inout GatewayConfiguration) {
        configuration.trustedProxies = ["127.0.0.1"]
    }

    @Test func freeCallsAreCountedPerClientAndPerUTCDay() async throws {
        let clock = ManualClock(iso8601: "2026-11-25T23:58:00Z")
        try await GatewayHarness.with(configure: Self.asProxy, server: { $0.now = clock.now }, tools: Self.tools(freeCalls: 2)) {
            gateway in
            let alice = [("X-Forwarded-For", "198.51.100.7")]
            let bob = [("X-Forwarded-For", "203.0.113.9")]
            #expect(try await gateway.send(.GET, "/free/a", headers: alice).status == 200)
            #expect(try await gateway.send(.GET, "/free/b", headers: alice).status == 200)
            let third = try await gateway.send(.GET, "/free/c", headers: alice)
            #expect(third.status == 402)
            #expect(third.headers["WWW-Authenticate"].count == 3)
            // Another client has its own allowance.
            #expect(try await gateway.send(.GET, "/free/a", headers: bob).status == 200)

            // Past midnight UTC the allowance is fresh again.
            clock.advance(seconds: 180)
            #expect(try await gateway.send(.GET, "/free/d", headers: alice).status == 200)
            #expect(try await gateway.send(.GET, "/free/e", headers: alice).status == 200)
            #expect(try await gateway.send(.GET, "/free/f", headers: alice).status == 402)

            let ledger = try await gateway.invocations(tool: "free")
            #expect(ledger.count == 5)
            #expect(ledger.allSatisfy { $0.outcome == Invocation.Outcome.free && $0.sats == 0 && $0.tokenID == nil })
            #expect(ledger.allSatisfy { $0.upstreamStatus == 200 })
            let days = Set(ledger.map { FreeCallDay.string(for: $0.time) })
            #expect(days == ["2026-11-25", "2026-11-26"])
        }
    }

    @Test func aFreeCallTheUpstreamFailsIsGivenBack() async throws {
        try await GatewayHarness.with(upstreams: [FlakyUpstream(failures: 1)], tools: Self.tools(freeCalls: 1)) { gateway in
            let failed = try await gateway.send(.GET, "/free/x")
            #expect(failed.status == 502)
            #expect(try await gateway.send(.GET, "/free/x").status == 200)  // the same free call, retried
            #expect(try await gateway.send(.GET, "/free/x").status == 402)
            let ledger = try await gateway.invocations(tool: "free")
            #expect(ledger.map(\.outcome).sorted() == [Invocation.Outcome.free, Invocation.Outcome.upstreamError])
            #expect(ledger.allSatisfy { $0.sats == 0 })
        }
    }

    @Test func aCredentialIsCheckedEvenWhenFreeCallsRemain() async throws {
        try await GatewayHarness.with(tools: Self.tools(freeCalls: 5)) { gateway in
            let refused = try await gateway.send(.GET, "/free/x", authorization: "L402 bm90LWEtbWFjYXJvb24=:00")
            #expect(refused.status == 401)
            #expect(try await gateway.invocations(tool: "free").isEmpty)
        }
    }

    @Test func withoutFreeCallsEveryRequestIsChallenged() async throws {
        try await GatewayHarness.with(tools: Self.tools(freeCalls: 0)) { gateway in
            let status = try await gateway.send(.GET, "/free/x").status
            #expect(status == 402)
        }
    }

    @Test func theCollectorPrunesPastDays() async throws {
        let clock = ManualClock(iso8601: "2026-11-25T12:00:00Z")
        try await GatewayHarness.with(server: { $0.now = clock.now }, tools: Self.tools(freeCalls: 3)) { gateway in
            #expect(try await gateway.send(.GET, "/free/x").status == 200)
            let store = try gateway.store()
            let collector = ExpiredChallengeCollector(
                secrets: store, devInvoices: store, interval: .seconds(60), logger: Logger(label: "test"), freeCalls: store)
            #expect(await collector.collect(now: clock.now()).freeCallCounters == 0)  // today's counter stays
            clock.advance(seconds: 86_400)
            #expect(await collector.collect(now: clock.now()).freeCallCounters == 1)
            // Its day is gone and so is the count: the client has all its calls again on that day.
            #expect(try await store.takeFreeCall(tool: "free", client: "127.0.0.1", day: "2026-11-25", limit: 1))
        }
    }
}
