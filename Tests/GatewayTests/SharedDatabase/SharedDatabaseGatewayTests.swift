import Foundation
import TestSupport
import Testing

extension PostgresOutageSuites {
    /// Two `l402 serve` processes sharing one PostgreSQL database (issue 7; one test at a time: each drives two gateways hard): tokens work across gateways, a
    /// one-call token is spent exactly once however the gateways race, and a database restart under load
    /// answers 503 (never 500) and loses no paid call.
    @Suite(.enabled(if: TestPostgres.shouldRun), .serialized) struct SharedDatabaseGatewayTests {
        static let path = "/once/forecast"

        /// Two gateways on a fresh database of `server` (the shared cluster unless given), in front of one upstream.
        static func withGateways<T: Sendable>(
            server: String? = nil, _ body: @Sendable (SharedDatabaseGateways, [any GatewayEndpoint]) async throws -> T
        ) async throws -> T {
            let database = try await TestPostgres.freshDatabase(on: try server ?? TestPostgres.databaseURL())
            return try await RunningServer.with(EchoUpstream()) { upstream in
                // Every token is bought from this one client address: no challenge rate limit.
                let config = """
                    challenge_rate_limit:
                      per_minute: 0
                    tools:
                      - slug: once
                        upstream: http://127.0.0.1:\(upstream)
                        price_sats: 2
                        calls: 1
                    """
                return try await SharedDatabaseGateways.with(databaseURL: database, configuration: config) { gateways in
                    try await body(gateways, gateways.members)
                }
            }
        }

        @Test func tokenBoughtAtOneGatewayIsSpentAtTheOther() async throws {
            try await Self.withGateways { shared, gateways in
                // Challenged by gateway 0, paid at gateway 1 (its dev node settles gateway 0's invoice), used at 1.
                let token = try #require(try await PaidToken.buy(1, path: Self.path, from: gateways).first)
                let used = try await Presentation.present(0, [token], at: 1, of: gateways, path: Self.path)
                #expect(used.status == 200)
                let replayed = try await Presentation.present(0, [token], at: 0, of: gateways, path: Self.path)
                #expect(replayed.status == 402 && replayed.error == "token_spent")
                #expect(try await SharedDatabaseGateways.paidCallsPerToken(tool: "once", databaseURL: shared.databaseURL) == [token.tokenID: 1])
            }
        }

        /// A `Payment` charge offered by one gateway is verified by the other (one binding key in the
        /// database), and the same credential sent to both at once is served once.
        @Test func aPaymentChargeIsBoundByOneKeyAndServedOnceAcrossGateways() async throws {
            try await Self.withGateways { shared, gateways in
                for _ in 0..<5 {
                    let credential = try await gateways[0].buyPayment(Self.path).headerValue
                    async let first = gateways[0].send(.GET, Self.path, authorization: credential)
                    async let second = gateways[1].send(.GET, Self.path, authorization: credential)
                    let statuses = try await [first.status, second.status].sorted()
                    #expect(statuses == [200, 402])
                }
                let paid = try await SharedDatabaseGateways.paidCallsPerToken(tool: "once", databaseURL: shared.databaseURL)
                #expect(paid.count == 5 && paid.values.allSatisfy { $0 == 1 })
            }
        }

        @Test func concurrentReplaysAcrossGatewaysSucceedOncePerToken() async throws {
            try await Self.withGateways { shared, gateways in
                let tokens = try await PaidToken.buy(100, path: Self.path, from: gateways)
                // 200 requests at once: every token at both gateways.
                let answers = try await withThrowingTaskGroup(of: Presentation.self) { group in
                    for token in tokens.indices {
                        for gateway in gateways.indices {
                            group.addTask { try await Presentation.present(token, tokens, at: gateway, of: gateways, path: Self.path) }
                        }
                    }
                    return try await group.reduce(into: [Presentation]()) { $0.append($1) }
                }
                #expect(answers.count == 200)
                for (token, presentations) in Dictionary(grouping: answers, by: \.token) {
                    let outcomes = presentations.map { "\($0.status) \($0.error ?? "")" }.sorted()
                    #expect(outcomes == ["200 ", "402 token_spent"], "token \(token): \(outcomes)")
                }
                try await Self.expectOnePaidRowPerToken(tokens, databaseURL: shared.databaseURL)
            }
        }

        /// "No paid call is lost": every token ends with exactly one successful call — during the load, or, when
        /// all its attempts during the load met the outage (503), on its first presentation after the database
        /// is back — and the ledger holds exactly one paid row per token once the gateways have stopped (rows the
        /// database refused during the outage are written when it is back, at the latest at shutdown).
        @Test func databaseRestartUnderLoadGivesNo500AndLosesNoPaidCall() async throws {
            let cluster = try await PrivatePostgresCluster.start()
            do {
                let (tokens, database) = try await Self.withGateways(server: cluster.databaseURL) { shared, gateways in
                    let tokens = try await PaidToken.buy(120, path: Self.path, from: gateways)
                    let load = try await DatabaseOutageLoad.run(tokens: tokens, gateways: gateways, path: Self.path, cluster: cluster)
                    #expect(load.unavailableDuringOutage > 0, "the outage never met a request; answers: \(load.histogram)")
                    let unexpected = load.answers.filter { ![200, 402, 503].contains($0.status) }
                    #expect(unexpected.isEmpty, "answers other than 200/402/503 (no 500 allowed): \(load.histogram)")
                    #expect(load.answers.filter { $0.status == 402 }.allSatisfy { $0.error == "token_spent" })

                    let succeeded = Dictionary(grouping: load.answers.filter { $0.status == 200 }, by: \.token)
                    #expect(succeeded.values.allSatisfy { $0.count == 1 }, "a token succeeded twice: \(succeeded.filter { $0.value.count > 1 })")
                    for token in tokens.indices {
                        let after = try await DatabaseOutageLoad.presentAfterRecovery(token, tokens, gateways: gateways, path: Self.path)
                        if succeeded[token] != nil {
                            #expect(after.status == 402 && after.error == "token_spent", "token \(token) after recovery: \(after)")
                        } else {
                            #expect(after.status == 200, "token \(token) never succeeded, and after recovery: \(after)")
                        }
                    }
                    return (tokens, shared.databaseURL)
                }
                try await Self.expectOnePaidRowPerToken(tokens, databaseURL: database)
                try await cluster.stop()
            } catch {
                try? await cluster.stop()
                throw error
            }
        }

        /// The shared ledger holds exactly one paid row for each token, and no other paid row.
        static func expectOnePaidRowPerToken(
            _ tokens: [PaidToken], databaseURL: String, sourceLocation: SourceLocation = #_sourceLocation
        ) async throws {
            let ledger = try await SharedDatabaseGateways.paidCallsPerToken(tool: "once", databaseURL: databaseURL)
            let wrong = tokens.filter { ledger[$0.tokenID] != 1 }.map { "\($0.tokenID.prefix(8)): \(ledger[$0.tokenID] ?? 0) rows" }
            #expect(wrong.isEmpty, "\(wrong.count) of \(tokens.count) tokens without exactly one paid ledger row: \(wrong)",
                    sourceLocation: sourceLocation)
            #expect(ledger.count == tokens.count, "paid rows for \(ledger.count) token ids", sourceLocation: sourceLocation)
        }
    }
}
