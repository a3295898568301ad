import L402
import ByteEncoding
import Foundation
import Macaroons
import NIOHTTP1
import Storage
import Testing

@testable import Gateway

/// The whole L402 dance over real sockets: AsyncHTTPClient → gateway (dev node, SQLite) → upstream.
@Suite struct PaymentFlowTests {
    static func standardTools(_ ports: [Int]) -> [ToolConfiguration] {
        let echo = URL(string: "http://127.0.0.1:\(ports[0])")!
        return [
            ToolConfiguration(slug: "paid", upstream: echo, priceSats: 5, description: "one call"),
            ToolConfiguration(slug: "multi", upstream: echo, priceSats: 20, calls: 5),
            ToolConfiguration(slug: "other", upstream: echo, priceSats: 7),
            ToolConfiguration(
                slug: "priced", upstream: echo, priceSats: 2, calls: 3,
                prices: [PriceRule(method: "POST", pathPrefix: "/bulk", priceSats: 50)]),
        ]
    }

    @Test func challengeThenPayThenCall() async throws {
        try await GatewayHarness.with(tools: Self.standardTools) { gateway in
            let first = try await gateway.send(.GET, "/paid/weather?city=Lisbon")
            #expect(first.status == 402)
            let authenticate = first.headers["WWW-Authenticate"]
            #expect(authenticate.count == 3)
            #expect(authenticate.first?.hasPrefix("LSAT macaroon=\"") == true)
            #expect(authenticate.dropFirst().first?.hasPrefix("L402 macaroon=\"") == true)
            #expect(authenticate.last?.hasPrefix("Payment id=\"") == true)
            #expect(first.headers.first(name: "Cache-Control") == "no-store")
            #expect(first.headers.first(name: "Content-Type") == "application/json")
            let challenge = try JSONDecoder().decode(ChallengeJSON.self, from: Data(first.body.utf8))
            #expect(challenge.amount_sats == 5 && challenge.tool == "paid")
            #expect(challenge.invoice.hasPrefix("lnbcrt"))
            #expect(authenticate.first?.contains(challenge.invoice) == true)
            #expect(try Hex.decode(challenge.payment_hash).count == 32)
            #expect(ISO8601DateFormatter().date(from: challenge.expires_at) != nil)

            let preimage = try await gateway.pay(challenge.invoice)
            let paid = try await gateway.send(.GET, "/paid/weather?city=Lisbon", authorization: "L402 \(challenge.macaroon):\(preimage)")
            #expect(paid.status == 200)
            let echo = try JSONDecoder().decode(EchoUpstream.Echo.self, from: Data(paid.body.utf8))
            #expect(echo.path == "/weather?city=Lisbon")
            #expect(echo.headers["authorization"] == nil)

            let ledger = try await gateway.invocations(tool: "paid")
            #expect(ledger.count == 1)
            #expect(ledger.first?.sats == 5 && ledger.first?.upstreamStatus == 200 && ledger.first?.outcome == "paid")
            #expect(ledger.first?.tokenID?.count == 64)

            // Paying again (a payer that lost the answer) gets the same preimage and settles nothing again.
            let hash = try Hex.decode(challenge.payment_hash)
            let settledAt = try #require(try await gateway.devInvoice(paymentHash: hash)?.settledAt)
            #expect(try await gateway.pay(challenge.invoice) == preimage)
            #expect(try await gateway.devInvoice(paymentHash: hash)?.settledAt == settledAt)
        }
    }

    @Test func spentTokenGetsFreshChallenge() async throws {
        try await GatewayHarness.with(tools: Self.standardTools) { gateway in
            let token = try await gateway.buy("/paid/x")
            let credential = "L402 \(token.macaroon):\(token.preimage)"
            #expect(try await gateway.send(.GET, "/paid/x", authorization: credential).status == 200)
            let replay = try await gateway.send(.GET, "/paid/x", authorization: credential)
            #expect(replay.status == 402)
            #expect(replay.headers["WWW-Authenticate"].count == 3)
            let fresh = try JSONDecoder().decode(ChallengeJSON.self, from: Data(replay.body.utf8))
            #expect(fresh.error == "token_spent")
            #expect(fresh.macaroon != token.macaroon)
        }
    }

    @Test func lsatSchemeIsAccepted() async throws {
        try await GatewayHarness.with(tools: Self.standardTools) { gateway in
            let token = try await gateway.buy("/paid/")
            #expect(try await gateway.send(.GET, "/paid/", authorization: "LSAT \(token.macaroon):\(token.preimage)").status == 200)
        }
    }

    @Test func multiCallTokenServesExactlyItsCalls() async throws {
        try await GatewayHarness.with(tools: Self.standardTools) { gateway in
            let token = try await gateway.buy("/multi/a")
            let credential = "L402 \(token.macaroon):\(token.preimage)"
            for _ in 0..<5 { #expect(try await gateway.send(.GET, "/multi/a", authorization: credential).status == 200) }
            #expect(try await gateway.send(.GET, "/multi/a", authorization: credential).status == 402)
            let ledger = try await gateway.invocations(tool: "multi")
            #expect(ledger.count == 5 && ledger.allSatisfy { $0.sats == 4 })
        }
    }

    @Test func attenuatedTokenHoldsItsExtraCaveats() async throws {
        try await GatewayHarness.with(tools: Self.standardTools) { gateway in
            let token = try await gateway.buy("/multi/reports/1")
            let original = try Macaroon(decoding: token.macaroon)
            // The holder narrows the token for a sub-agent without asking the server.
            let narrowed = original.addingFirstPartyCaveat("method=GET").addingFirstPartyCaveat("path_prefix=/reports")
            let credential = "L402 \(narrowed.encoded()):\(token.preimage)"
            #expect(try await gateway.send(.GET, "/multi/reports/2", authorization: credential).status == 200)

            let wrongPath = try await gateway.send(.GET, "/multi/admin", authorization: credential)
            #expect(wrongPath.status == 401)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(wrongPath.body.utf8)).error == "not_allowed")
            let wrongMethod = try await gateway.send(.POST, "/multi/reports/3", authorization: credential, body: "x")
            #expect(wrongMethod.status == 401)

            let unknown = original.addingFirstPartyCaveat("color=blue")
            let refused = try await gateway.send(.GET, "/multi/reports/4", authorization: "L402 \(unknown.encoded()):\(token.preimage)")
            #expect(refused.status == 401)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(refused.body.utf8)).error == "unknown_caveat")

            // Refusals did not consume calls: 1 used above, 4 remain on the original token.
            for _ in 0..<4 {
                #expect(try await gateway.send(.GET, "/multi/x", authorization: "L402 \(token.macaroon):\(token.preimage)").status == 200)
            }
        }
    }

    @Test func refusedCredentialsGet401WithReason() async throws {
        try await GatewayHarness.with(tools: Self.standardTools) { gateway in
            let token = try await gateway.buy("/paid/")
            let macaroon = try Macaroon(decoding: token.macaroon)

            var tampered = try macaroon.serialize(.v2)
            tampered[tampered.count - 2] ^= 0x01  // last signature byte (before the end-of-section marker)
            let expired = macaroon.addingFirstPartyCaveat("expires_at=\(Int(Date().timeIntervalSince1970) - 60)")
            let wrongPreimage = Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255) })

            let cases: [(String, String, String)] = [
                ("/paid/", "L402 \(token.macaroon):\(wrongPreimage)", "wrong_preimage"),
                ("/paid/", "L402 \(Base64.encode(tampered)):\(token.preimage)", "bad_signature"),
                ("/paid/", "L402 \(expired.encoded()):\(token.preimage)", "token_expired"),
                ("/other/", "L402 \(token.macaroon):\(token.preimage)", "wrong_tool"),
            ]
            for (path, authorization, code) in cases {
                let response = try await gateway.send(.GET, path, authorization: authorization)
                #expect(response.status == 401, "\(code): \(response.body)")
                #expect(response.headers.first(name: "Content-Type") == "application/json")
                let error = try JSONDecoder().decode(ErrorJSON.self, from: Data(response.body.utf8))
                #expect(error.error == code)
                #expect(!error.message.contains(token.preimage))
            }
            // None of those spent the token's one call.
            #expect(try await gateway.send(.GET, "/paid/", authorization: "L402 \(token.macaroon):\(token.preimage)").status == 200)
        }
    }

    @Test func upstreamFailureDoesNotSpendTheCall() async throws {
        try await GatewayHarness.with(
            upstreams: [EchoUpstream(), FlakyUpstream(failures: 2)],
            tools: { ports in [ToolConfiguration(slug: "flaky", upstream: URL(string: "http://127.0.0.1:\(ports[1])")!, priceSats: 3)] }
        ) { gateway in
            let token = try await gateway.buy("/flaky/")
            let credential = "L402 \(token.macaroon):\(token.preimage)"
            for _ in 0..<2 {
                let failed = try await gateway.send(.GET, "/flaky/", authorization: credential)
                #expect(failed.status == 502)
                #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(failed.body.utf8)).error == "upstream_error")
            }
            let recovered = try await gateway.send(.GET, "/flaky/", authorization: credential)
            #expect(recovered.status == 200 && recovered.body == "recovered")
            #expect(try await gateway.send(.GET, "/flaky/", authorization: credential).status == 402)
            let outcomes = try await gateway.invocations(tool: "flaky").map(\.outcome).sorted()
            #expect(outcomes == ["paid", "upstream_error", "upstream_error"])
        }
    }

    @Test func unreachableUpstreamIs502AndNotCharged() async throws {
        let deadPort = try await RunningServer.with(EchoUpstream()) { $0 }
        try await GatewayHarness.with(configure: { $0.upstreamConnectTimeoutSeconds = 1 }, tools: { _ in
            [ToolConfiguration(slug: "down", upstream: URL(string: "http://127.0.0.1:\(deadPort)")!, priceSats: 3)]
        }) { gateway in
            let token = try await gateway.buy("/down/")
            let response = try await gateway.send(.GET, "/down/", authorization: "L402 \(token.macaroon):\(token.preimage)")
            #expect(response.status == 502)
            #expect(try await gateway.invocations(tool: "down").map(\.sats) == [0])
        }
    }

    @Test func oneCallTokenUsedConcurrentlyServesExactlyOnce() async throws {
        try await GatewayHarness.with(tools: Self.standardTools) { gateway in
            let token = try await gateway.buy("/paid/")
            let credential = "L402 \(token.macaroon):\(token.preimage)"
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { try await gateway.send(.GET, "/paid/", authorization: credential).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.filter { $0 == 402 }.count == 7)
        }
    }

    @Test func pricesPerMethodAndPath() async throws {
        try await GatewayHarness.with(tools: Self.standardTools) { gateway in
            #expect(try await gateway.challenge("/priced/bulk", method: .POST).amount_sats == 50)
            #expect(try await gateway.challenge("/priced/bulk").amount_sats == 2)
            // A token bought at the cheap price does not pay for the dear request.
            let cheap = try await gateway.buy("/priced/item")
            let dear = try await gateway.send(.POST, "/priced/bulk", authorization: "L402 \(cheap.macaroon):\(cheap.preimage)", body: "x")
            #expect(dear.status == 402)
            #expect(try JSONDecoder().decode(ChallengeJSON.self, from: Data(dear.body.utf8)).error == "insufficient_amount")
            #expect(try await gateway.send(.GET, "/priced/item", authorization: "L402 \(cheap.macaroon):\(cheap.preimage)").status == 200)
        }
    }

    @Test func ownEndpointsAndUnknownTools() async throws {
        try await GatewayHarness.with(tools: Self.standardTools) { gateway in
            #expect(try await gateway.send(.GET, "/_l402/health").status == 200)
            let climbing = try await gateway.send(.GET, "/paid/%2e%2e/secret")
            #expect(climbing.status == 400)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(climbing.body.utf8)).error == "bad_path")
            let unknown = try await gateway.send(.GET, "/nope/x")
            #expect(unknown.status == 404)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(unknown.body.utf8)).error == "unknown_tool")
            #expect(try await gateway.send(.POST, "/_l402/dev/pay", body: "not json").status == 400)
            let foreign = try await gateway.send(.POST, "/_l402/dev/pay", body: #"{"invoice":"lnbcrt1garbage"}"#)
            #expect(foreign.status == 400)
        }
    }

    @Test func lndBackendHasNoDevPay() async throws {
        try await GatewayHarness.with(
            configure: { $0.lightning = .lnd(restURL: "https://127.0.0.1:1", macaroon: "0201abcd", tlsCertificatePath: nil) },
            tools: Self.standardTools
        ) { gateway in
            let pay = try await gateway.send(.POST, "/_l402/dev/pay", body: #"{"invoice":"x"}"#)
            #expect(pay.status == 404)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(pay.body.utf8)).error == "not_found")
        }
    }
}
