import ByteEncoding
import Foundation
import L402
import NIOHTTP1
import Testing

@testable import Gateway

/// The `Payment` scheme's Lightning `charge` through the gateway, over real sockets: the offer beside
/// L402's, a paid credential served once with its receipt, refusals as problem bodies with fresh
/// offers, and the one-call metering (concurrent uses, upstream failure, refused credentials).
@Suite struct PaymentChargeTests {
    static func tools(_ ports: [Int]) -> [ToolConfiguration] {
        let echo = URL(string: "http://127.0.0.1:\(ports[0])")!
        return [
            ToolConfiguration(slug: "paid", upstream: echo, priceSats: 5, calls: 3, description: "weather call"),
            ToolConfiguration(slug: "other", upstream: echo, priceSats: 5),
            ToolConfiguration(slug: "l402only", upstream: echo, priceSats: 4, schemes: [.l402]),
            ToolConfiguration(slug: "paymentonly", upstream: echo, priceSats: 6, schemes: [.payment]),
        ]
    }

    @Test func offerPayServeWithReceiptThenRefuseTheReplay() async throws {
        try await GatewayHarness.with(tools: Self.tools) { gateway in
            let first = try await gateway.send(.GET, "/paid/today")
            #expect(first.status == 402)
            #expect(first.headers.first(name: "Cache-Control") == "no-store")
            let offers = first.headers["WWW-Authenticate"]
            #expect(offers.map { $0.prefix(while: { $0 != " " }) } == ["LSAT", "L402", "Payment"])
            let challenge = try PaymentChallenge(parsing: try #require(offers.last))
            #expect(challenge.method == "lightning" && challenge.intent == "charge" && challenge.realm == "l402-gateway")
            let request = try LightningChargeRequest(encoded: challenge.request)
            #expect(challenge.digest == nil && request.description == "weather call")
            #expect(request.amountSats == 5, "a charge buys one call at the route's price, whatever the L402 token sells")

            // The JSON body keeps the L402 fields and adds the Payment offer; the invoices differ.
            let body = try JSONDecoder().decode(BodyWithPayment.self, from: Data(first.body.utf8))
            #expect(body.payment?.challenge == Dictionary(uniqueKeysWithValues: challenge.parameters))
            #expect(body.payment?.invoice == request.invoice && body.invoice != request.invoice)
            #expect(body.calls == 3 && body.payment?.amount_sats == 5)

            let credential = try await Self.pay(challenge, at: gateway)
            let paid = try await gateway.send(.GET, "/paid/today", authorization: credential)
            #expect(paid.status == 200)
            #expect(paid.headers.first(name: "Cache-Control") == "private")
            let receipt = try PaymentReceipt(parsing: try #require(paid.headers.first(name: "Payment-Receipt")))
            #expect(receipt.status == "success" && receipt.challengeID == challenge.id)
            #expect(receipt.reference == Hex.encode(try #require(request.paymentHash)))
            let echo = try JSONDecoder().decode(EchoUpstream.Echo.self, from: Data(paid.body.utf8))
            #expect(echo.headers["authorization"] == nil, "the credential is not forwarded")

            let ledger = try await gateway.invocations(tool: "paid")
            #expect(ledger.count == 1)
            #expect(ledger.first?.sats == 5 && ledger.first?.outcome == "paid" && ledger.first?.tokenID == receipt.reference)
            #expect(ledger.first?.scheme == "payment")

            let replay = try await gateway.send(.GET, "/paid/today", authorization: credential)
            let problem = try Self.problem(replay, type: "invalid-challenge")
            #expect(problem.detail.contains("already used"))
            let fresh = try PaymentChallenge(parsing: try #require(replay.headers["WWW-Authenticate"].last))
            #expect(fresh.id != challenge.id && problem.challengeId == fresh.id)
            #expect(try await gateway.invocations(tool: "paid").count == 1)
        }
    }

    @Test func paymentAuthorizationHeaderBesideABearerToken() async throws {
        try await GatewayHarness.with(tools: Self.tools) { gateway in
            let credential = try await Self.pay(try await Self.charge("/other/x", at: gateway), at: gateway)
            let paid = try await gateway.send(
                .GET, "/other/x", authorization: "Bearer app-token", headers: [("Payment-Authorization", credential)])
            #expect(paid.status == 200)
            let echo = try JSONDecoder().decode(EchoUpstream.Echo.self, from: Data(paid.body.utf8))
            #expect(echo.headers["payment-authorization"] == nil)
            #expect(paid.headers.first(name: "Payment-Receipt") != nil)
        }
    }

    @Test func refusedCredentialsDoNotUseUpTheChallenge() async throws {
        try await GatewayHarness.with(tools: Self.tools) { gateway in
            let challenge = try await Self.charge("/other/x", at: gateway)
            let good = try PaymentCredential(parsing: try await Self.pay(challenge, at: gateway))
            let wrongPreimage = PaymentCredential(challenge: challenge, preimage: [UInt8](repeating: 7, count: 32))
            #expect(try Self.problem(try await gateway.send(.GET, "/other/x", authorization: wrongPreimage.headerValue), type: "verification-failed")
                .detail.contains("preimage"))
            var tampered = good
            tampered.challenge.expires = "2099-01-01T00:00:00Z"
            _ = try Self.problem(try await gateway.send(.GET, "/other/x", authorization: tampered.headerValue), type: "invalid-challenge")
            _ = try Self.problem(try await gateway.send(.GET, "/other/x", authorization: "Payment not-base64!"), type: "malformed-credential")
            var otherMethod = good
            otherMethod.challenge.method = "tempo"
            let unsupported = try await gateway.send(.GET, "/other/x", authorization: otherMethod.headerValue)
            #expect(unsupported.status == 400)
            #expect(unsupported.headers.first(name: "Content-Type") == "application/problem+json")
            #expect(unsupported.body.contains("method-unsupported"))
            // A credential for another tool's challenge is refused there, and still good where it was sold.
            #expect(try Self.problem(try await gateway.send(.GET, "/paid/x", authorization: good.headerValue), type: "invalid-challenge")
                .detail.contains("another tool"))

            #expect(try await gateway.send(.GET, "/other/x", authorization: good.headerValue).status == 200)
        }
    }

    @Test func twoConcurrentUsesOfOneCredentialServeOnce() async throws {
        try await GatewayHarness.with(tools: Self.tools) { gateway in
            let credential = try await Self.pay(try await Self.charge("/other/x", at: gateway), at: gateway)
            async let first = gateway.send(.GET, "/other/x", authorization: credential)
            async let second = gateway.send(.GET, "/other/x", authorization: credential)
            let statuses = try await [first.status, second.status].sorted()
            #expect(statuses == [200, 402])
            #expect(try await gateway.invocations(tool: "other").map(\.outcome) == ["paid"])
        }
    }

    @Test func aFailedUpstreamLeavesTheCredentialUsable() async throws {
        try await GatewayHarness.with(upstreams: [FlakyUpstream(failures: 1)], tools: Self.tools) { gateway in
            let credential = try await Self.pay(try await Self.charge("/other/x", at: gateway), at: gateway)
            let failed = try await gateway.send(.GET, "/other/x", authorization: credential)
            #expect(failed.status == 502 && failed.headers.first(name: "Payment-Receipt") == nil)
            let retried = try await gateway.send(.GET, "/other/x", authorization: credential)
            #expect(retried.status == 200 && retried.body == "recovered")
            #expect(retried.headers.first(name: "Payment-Receipt") != nil)
            #expect(try await gateway.send(.GET, "/other/x", authorization: credential).status == 402)
            let rows = try await gateway.invocations(tool: "other")
            #expect(rows.map(\.outcome).sorted() == ["paid", "upstream_error"])
            #expect(rows.first { $0.outcome == "paid" }?.sats == 5)
            #expect(rows.allSatisfy { $0.scheme == "payment" }, "the failed call's row names the scheme of its credential")
        }
    }

    @Test func schemesAndAcceptPaymentChooseTheOffers() async throws {
        try await GatewayHarness.with(tools: Self.tools) { gateway in
            func offered(_ path: String, accept: String? = nil) async throws -> [Substring] {
                let response = try await gateway.send(.GET, path, headers: accept.map { [("Accept-Payment", $0)] } ?? [])
                #expect(response.status == 402 && response.headers.first(name: "Cache-Control") == "no-store")
                return response.headers["WWW-Authenticate"].map { $0.prefix(while: { $0 != " " }) }
            }
            #expect(try await offered("/l402only/x") == ["LSAT", "L402"])
            #expect(try await offered("/paymentonly/x") == ["Payment"])
            #expect(try await offered("/paid/x", accept: "lightning/charge") == ["Payment"])
            #expect(try await offered("/paid/x", accept: "l402") == ["LSAT", "L402"])
            // Order stays LSAT, L402, Payment whatever the weights; nothing acceptable means everything.
            #expect(try await offered("/paid/x", accept: "lightning/charge, l402;q=0.5") == ["LSAT", "L402", "Payment"])
            #expect(try await offered("/paid/x", accept: "tempo/charge") == ["LSAT", "L402", "Payment"])

            // Payment only: the body has the offer and no macaroon.
            let only = try await gateway.send(.GET, "/paymentonly/x")
            let body = try JSONDecoder().decode(BodyWithPayment.self, from: Data(only.body.utf8))
            #expect(body.macaroon == nil && body.tool == "paymentonly" && body.amount_sats == 6 && body.payment != nil)

            // A route without the Payment scheme refuses a Payment credential with a problem, offering L402.
            let credential = try await Self.pay(try await Self.charge("/paid/x", at: gateway), at: gateway)
            let refused = try await gateway.send(.GET, "/l402only/x", authorization: credential)
            #expect(try Self.problem(refused, type: "invalid-challenge").detail.contains("does not take the Payment scheme"))
            #expect(refused.headers["WWW-Authenticate"].count == 2)
        }
    }

    @Test func aBodyIsBoundAsDigest() async throws {
        try await GatewayHarness.with(tools: Self.tools) { gateway in
            let body = #"{"city":"Lisbon"}"#
            let first = try await gateway.send(.POST, "/other/forecast", headers: [("Content-Type", "application/json")], body: body)
            let challenge = try PaymentChallenge(parsing: try #require(first.headers["WWW-Authenticate"].last))
            #expect(challenge.digest == ContentDigest.sha256(Array(body.utf8)))
            let credential = try await Self.pay(challenge, at: gateway)

            let other = try await gateway.send(.POST, "/other/forecast", authorization: credential, body: #"{"city":"Porto"}"#)
            #expect(try Self.problem(other, type: "verification-failed").detail.contains("digest"))
            let paid = try await gateway.send(
                .POST, "/other/forecast", authorization: credential, headers: [("Idempotency-Key", "\"order-1\"")], body: body)
            #expect(paid.status == 200)
            let echo = try JSONDecoder().decode(EchoUpstream.Echo.self, from: Data(paid.body.utf8))
            #expect(echo.bodyBytes == body.utf8.count, "the buffered body is forwarded whole")
            #expect(echo.headers["idempotency-key"] == "\"order-1\"", "Idempotency-Key reaches the upstream unchanged")
        }
    }

    // MARK: - Helpers

    /// The `Payment` challenge of a 402 for `path`.
    static func charge(_ path: String, at gateway: GatewayHarness) async throws -> PaymentChallenge {
        let response = try await gateway.send(.GET, path)
        guard response.status == 402, let line = response.headers["WWW-Authenticate"].last(where: { $0.hasPrefix("Payment ") }) else {
            throw HarnessError("no Payment offer for \(path): \(response.status) \(response.body)")
        }
        return try PaymentChallenge(parsing: line)
    }

    /// Pays the challenge's invoice with the dev node; returns the credential's header value.
    static func pay(_ challenge: PaymentChallenge, at gateway: GatewayHarness) async throws -> String {
        let request = try LightningChargeRequest(encoded: challenge.request)
        let preimage = try Hex.decode(try await gateway.pay(request.invoice))
        return PaymentCredential(challenge: challenge, preimage: preimage).headerValue
    }

    /// The problem body of a refusal, checked: 402, `application/problem+json`, a fresh Payment offer, `type`.
    static func problem(_ response: (status: Int, headers: HTTPHeaders, body: String), type: String) throws -> ProblemJSON {
        #expect(response.status == 402)
        #expect(response.headers.first(name: "Content-Type") == "application/problem+json")
        #expect(response.headers.first(name: "Cache-Control") == "no-store")
        let problem = try JSONDecoder().decode(ProblemJSON.self, from: Data(response.body.utf8))
        #expect(problem.type == "https://paymentauth.org/problems/" + type, "\(problem.detail)")
        #expect(problem.status == 402)
        return problem
    }

    struct ProblemJSON: Decodable {
        var type: String
        var status: Int
        var detail: String
        var challengeId: String?
    }

    struct BodyWithPayment: Decodable {
        struct Offer: Decodable {
            var challenge: [String: String]
            var invoice: String
            var payment_hash: String
            var amount_sats: UInt64
        }
        var macaroon: String?
        var invoice: String?
        var calls: Int?
        var tool: String
        var amount_sats: UInt64
        var payment: Offer?
    }
}
