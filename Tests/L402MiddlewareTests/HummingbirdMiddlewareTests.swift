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
        try await Self.serve(router) { url in
            try await scenario.run(url: url)
            try await scenario.runPayment(url: url)
        }
    }

    @Test func aBodyIsBoundToThePaymentChallengeWhenAsked() async throws {
        let scenario = try FlakyRouteScenario(failures: 0)
        let router = Router(context: BasicL402RequestContext.self)
        router.group("flaky")
            .add(middleware: L402Middleware(paywall: scenario.paywall, pricing: FlakyRouteScenario.pricing, bindsBodiesUpTo: 64))
            .post { request, _ -> String in
                "got \(String(buffer: try await request.body.collect(upTo: 64)))"
            }
        try await Self.serve(router) { url in
            let body = #"{"city":"Lisbon"}"#
            let challenged = try await FlakyRouteScenario.send(url, method: .POST, body: body)
            let challenge = try PaymentChallenge(parsing: try #require(challenged.headers["WWW-Authenticate"].last))
            #expect(challenge.digest == ContentDigest.sha256(Array(body.utf8)))
            let invoice = try LightningChargeRequest(encoded: challenge.request).invoice
            let preimage = try await scenario.node.pay(paymentRequest: invoice, feeLimitSats: 0).preimage
            let credential = PaymentCredential(challenge: challenge, preimage: preimage).headerValue

            let other = try await FlakyRouteScenario.send(url, method: .POST, authorization: credential, body: #"{"city":"Porto"}"#)
            #expect(other.status == 402 && String(decoding: other.body, as: UTF8.self).contains("verification-failed"))
            let served = try await FlakyRouteScenario.send(url, method: .POST, authorization: credential, body: body)
            #expect(served.status == 200 && String(decoding: served.body, as: UTF8.self) == "got " + body, "the handler reads the body")
            let tooLarge = try await FlakyRouteScenario.send(url, method: .POST, body: String(repeating: "x", count: 65))
            #expect(tooLarge.status == 413)
        }
    }

    /// Runs `router` on a free loopback port while `body` talks to its `/flaky` URL.
    static func serve(_ router: Router<BasicL402RequestContext>, _ body: (String) async throws -> Void) async throws {
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { sink.yield($0.localAddress?.port ?? 0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            try await body("http://127.0.0.1:\(try #require(await iterator.next()))/flaky")
            group.cancelAll()
        }
    }
}
