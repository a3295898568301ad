import Hummingbird
import L402Hummingbird
import L402Server
import Testing

/// `L402Middleware` settles a call by the handler's outcome: a handler that throws gives the paid
/// call back, so the client's retry with the same credential is served without paying again.
@Suite struct HummingbirdMiddlewareTests {
    struct Failure: Error {}

    @Test func aThrowingHandlerGivesThePaidCallBack() async throws {
        let scenario = try FlakyRouteScenario(failures: 1)
        let router = Router(context: BasicL402RequestContext.self)
        router.group("flaky")
            .add(middleware: L402Middleware(paywall: scenario.paywall, pricing: FlakyRouteScenario.pricing))
            .get { _, context -> String in
                if scenario.shouldFail() { throw Failure() }
                return "calls left: \(context.l402Token?.callsLeft ?? -1)"
            }
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { sink.yield($0.localAddress?.port ?? 0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await scenario.run(url: "http://127.0.0.1:\(port)/flaky")
            try await scenario.runPayment(url: "http://127.0.0.1:\(port)/flaky")
            group.cancelAll()
        }
    }
}
