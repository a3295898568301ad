import Foundation
import L402
import Storage
import TestSupport
import Testing

@testable import Gateway

extension PostgresOutageSuites {
    /// A gateway on PostgreSQL whose database goes away and comes back: a relay in front of the shared test cluster
    /// either drops every connection and refuses new ones, or lets nothing through without closing anything
    /// (a partition: without the store's own deadline a query would wait for TCP to give up), then relays again.
    /// The cluster itself keeps serving other tests.
    @Suite(.enabled(if: TestPostgres.shouldRun, "needs the PostgreSQL test cluster (make test)"))
    struct DatabaseOutageTests {
        enum Outage: String, CaseIterable, Sendable { case connectionsCut, partition }

        @Test(arguments: Outage.allCases)
        func lostDatabaseGives503AndTheGatewayRecoversByItself(_ outage: Outage) async throws {
            var cluster = try PostgresSettings(url: TestPostgres.databaseURL())
            cluster.schema = TestPostgres.uniqueSchema()
            // The schema is migrated first, straight to the cluster, under a deadline made for a loaded
            // machine (creating it while every other PostgreSQL suite creates theirs once took longer
            // than the 10 s the outage below is judged by), so the gateway's start only checks it.
            var migrator = cluster
            migrator.timeout = .seconds(60)
            let schemaOwner = PostgresStore(settings: migrator)
            try await schemaOwner.migrate()
            await schemaOwner.shutdown()
            let relay = try await TCPRelay.start(to: cluster.host, port: cluster.port)
            var relayed = cluster
            (relayed.host, relayed.port, relayed.timeout, relayed.poolSize) = ("127.0.0.1", relay.port, .seconds(10), 4)
            let (direct, settings) = (cluster, relayed)

            try await GatewayHarness.with(configure: { $0.postgres = settings }, tools: PaymentFlowTests.standardTools) { gateway in
                let offer = try await gateway.challenge("/multi/a")
                let credential = "L402 \(offer.macaroon):\(try await gateway.pay(offer.invoice))"
                #expect(try await gateway.send(.GET, "/multi/a", authorization: credential).status == 200)

                switch outage {
                case .connectionsCut: relay.cut()
                case .partition: relay.silence()
                }
                let challenge = try await gateway.send(.GET, "/paid/x")
                #expect(challenge.status == 503)
                #expect(challenge.body.contains(#""error":"database_unavailable""#))
                #expect(challenge.headers.first(name: "Retry-After") == "1")
                let paidCall = try await gateway.send(.GET, "/multi/a", authorization: credential)
                #expect(paidCall.status == 503)
                #expect(paidCall.body.contains(#""error":"database_unavailable""#))
                let ledgerPage = try await gateway.admin(.GET, "invocations?tool=multi")
                #expect(ledgerPage.status == 503)
                #expect(ledgerPage.body.contains(#""error":"database_unavailable""#))
                let lookup = try await gateway.send(.GET, "/_l402/dev/payments/\(offer.payment_hash)")
                #expect(lookup.status == 503)
                #expect(lookup.body.contains(#""error":"database_unavailable""#))

                relay.restore()
                // The pool reconnects on its own: until it has, requests get 503 (never a 500), then the token works.
                // Polled until a deadline: a 503 can come back at once, so a number of tries is no bound in time.
                var statuses: [Int] = []
                let deadline = ContinuousClock.now + .seconds(120)
                while statuses.last != 200, ContinuousClock.now < deadline {
                    if !statuses.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
                    statuses.append(try await gateway.send(.GET, "/multi/a", authorization: credential).status)
                }
                #expect(statuses.last == 200)
                #expect(statuses.dropLast().allSatisfy { $0 == 503 }, "statuses while reconnecting: \(statuses)")

                // The call refused during the outage was not charged: two calls used, two ledger rows.
                let store = PostgresStore(settings: direct)
                let ledger = try await store.invocations(tool: "multi", since: nil, until: nil, limit: 10, offset: 0)
                #expect(ledger.map(\.outcome) == ["paid", "paid"])
                await store.shutdown()
            }
            await relay.stop()
        }
    }
}

/// No cluster needed: nothing listens on the port.
@Suite struct DatabaseStartupTests {
    @Test func unreachableDatabaseStopsStartupWithItsReason() async throws {
        var settings = try PostgresSettings(url: "postgres://l402:do-not-print@127.0.0.1:1/l402?timeout=1")
        settings.poolSize = 1
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-gw-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = GatewayServer(configuration: GatewayConfiguration(port: 0, dataDirectory: directory, postgres: settings))
        let error = await #expect(throws: DatabaseUnavailable.self) { try await server.run(gracefulShutdownSignals: []) }
        #expect(error?.description.contains("127.0.0.1:1") == true)
        #expect(error?.description.contains("do-not-print") == false)
    }
}
