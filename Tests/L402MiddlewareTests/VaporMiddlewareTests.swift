import L402Server
import L402Vapor
import Testing
import Vapor

/// `L402VaporMiddleware` settles a call by the route's outcome: a route that throws gives the paid
/// call back, so the client's retry with the same credential is served without paying again.
@Suite struct VaporMiddlewareTests {
    @Test func aThrowingRouteGivesThePaidCallBack() async throws {
        let scenario = try FlakyRouteScenario(failures: 1)
        let app = try await Application.make(.testing)
        app.grouped(L402VaporMiddleware(paywall: scenario.paywall, pricing: FlakyRouteScenario.pricing))
            .get("flaky") { request -> String in
                if scenario.shouldFail() { throw Abort(.internalServerError) }
                return "calls left: \(request.l402Token?.callsLeft ?? -1)"
            }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let outcome: Result<Void, any Error>
        do {
            let port = try #require(app.http.server.shared.localAddress?.port)
            try await scenario.run(url: "http://127.0.0.1:\(port)/flaky")
            try await scenario.runPayment(url: "http://127.0.0.1:\(port)/flaky")
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
        try outcome.get()
    }
}
