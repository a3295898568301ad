import ByteEncoding
import Foundation
import L402
import NIOHTTP1
import PaymentTestSupport
import Storage
import Testing

/// The `Payment` scheme (Lightning `charge`) end to end through a real `l402 serve` on the dev node:
/// 402 offer → pay the offer's own invoice → retry with the credential → 200 with a receipt; replays
/// and a table of bad credentials refused with problem bodies, never spending the real challenge.
@Suite struct PaymentSchemeGatewayTests {
    /// NIO's HTTP/1 parser refuses a request head over 80 KiB before any handler runs.
    static let httpHeaderLimit = 80 * 1024

    /// `paid`: 5 sats per call; `bulk`: a 3-call L402 token for 12 sats (a Payment charge still buys one call at 12).
    /// No challenge rate limit: the table asks for a hundred 402s from one address.
    static func yaml(_ ports: [Int], extra: String = "") -> String {
        """
        \(extra)
        challenge_rate_limit: {per_minute: 0}
        tools:
          - slug: paid
            upstream: http://127.0.0.1:\(ports[0])
            price_sats: 5
            description: weather call
          - slug: bulk
            upstream: http://127.0.0.1:\(ports[0])
            price_sats: 12
            calls: 3
        """
    }

    @Test(arguments: ["Authorization", "Payment-Authorization"])
    func paymentDance(header: String) async throws {
        try await ServedL402.with(yaml: { Self.yaml($0) }) { gateway in
            let first = try await gateway.send(.GET, "/paid/weather?city=Lisbon")
            #expect(first.status == 402)
            #expect(first.headers.first(name: "Cache-Control") == "no-store")
            let offers = first.headers["WWW-Authenticate"]
            #expect(offers.map { String($0.prefix { $0 != " " }) } == ["LSAT", "L402", "Payment"], "LSAT, L402, then Payment: \(offers)")
            let challenge = try PaymentChallenge(parsing: try #require(offers.last))
            #expect(challenge.method == "lightning" && challenge.intent == "charge" && !challenge.realm.isEmpty)
            #expect(challenge.digest == nil, "a GET has no body to bind")
            let expires = try #require(challenge.expires.flatMap(PaymentTime.parse))
            #expect(expires > Date())
            let request = try LightningChargeRequest(encoded: challenge.request)
            #expect(request.amountSats == 5 && request.network == .regtest && request.description == "weather call")
            // One invoice per scheme: the Payment offer's is not the L402 macaroon's.
            let l402 = try JSONDecoder().decode(ChallengeJSON.self, from: Data(first.body.utf8))
            #expect(request.invoice != l402.invoice && request.paymentHash.map(Hex.encode) != l402.payment_hash)

            let preimage = try await gateway.pay(challenge)
            let credential = PaymentCredential(challenge: challenge, preimage: preimage).headerValue
            // With `Payment-Authorization`, `Authorization` may hold another scheme's token. Neither
            // reaches the upstream: the gateway never forwards a credential (the preimage is in this one).
            let headers = header == "Authorization" ? [] : [("Authorization", "Bearer app-token")]
            let paid = try await gateway.send(.GET, "/paid/weather?city=Lisbon", headers: headers + [(header, credential)])
            #expect(paid.status == 200, "\(paid.body)")
            #expect(paid.headers.first(name: "Cache-Control") == "private")
            let receipt = try PaymentReceipt(parsing: try #require(paid.headers.first(name: "Payment-Receipt")))
            #expect(receipt.status == "success" && receipt.method == "lightning")
            #expect(receipt.reference == Hex.encode(try #require(request.paymentHash)))
            #expect(receipt.challengeID == challenge.id)
            #expect(try #require(PaymentTime.parse(receipt.timestamp)).timeIntervalSinceNow.magnitude < 300)
            #expect(!paid.headers.first(name: "Payment-Receipt")!.contains(Hex.encode(preimage)))
            let echo = try JSONDecoder().decode(EchoUpstream.Echo.self, from: Data(paid.body.utf8))
            #expect(echo.path == "/weather?city=Lisbon")
            #expect(echo.headers["payment-authorization"] == nil && echo.headers["authorization"] == nil)

            let ledger = try await gateway.store().invocations(tool: "paid", since: nil, until: nil, limit: 10, offset: 0)
            #expect(ledger.count == 1)
            #expect(ledger.first?.sats == 5 && ledger.first?.outcome == "paid" && ledger.first?.scheme == "payment")

            // One success per challenge: the same credential again is refused, in either header.
            let replay = try await gateway.send(.GET, "/paid/weather?city=Lisbon", headers: headers + [(header, credential)])
            expectPaymentProblem(replay, .invalidChallenge, "replay", preimage: Hex.encode(preimage))
            #expect(try await gateway.store().invocations(tool: "paid", since: nil, until: nil, limit: 10, offset: 0).count == 1)
        }
    }

    /// A Payment charge buys one call at the route's price, whatever the L402 token sells.
    @Test func aChargeBuysOneCallWhateverTheTokenSells() async throws {
        try await ServedL402.with(yaml: { Self.yaml($0) }) { gateway in
            let credential = try await gateway.buyPayment("/bulk/a")
            #expect(try LightningChargeRequest(encoded: credential.challenge.request).amountSats == 12)
            #expect(try await gateway.send(.GET, "/bulk/a", authorization: credential.headerValue).status == 200)
            let again = try await gateway.send(.GET, "/bulk/b", authorization: credential.headerValue)
            expectPaymentProblem(again, .invalidChallenge, "second call on a one-call charge")
        }
    }

    /// Every credential of the shared table (`BadPaymentCredentials`) and the ones that need this
    /// gateway's state, in both headers: 402 with its problem type, never a 500; the gateway still
    /// serves, and none of them used up the real challenge, which is then served once.
    @Test func everyBadCredentialIsAProblemAndSpendsNothing() async throws {
        try await ServedL402.with(yaml: { Self.yaml($0) }) { gateway in
            let good = try await gateway.buyPayment("/paid/x")
            let preimage = Hex.encode(try good.lightningPreimage())
            let other = try await gateway.buyPayment("/paid/x")
            let spent = try await gateway.buyPayment("/paid/x")
            #expect(try await gateway.send(.GET, "/paid/x", authorization: spent.headerValue).status == 200)
            // Bound with this gateway's own secret, but for another realm.
            let secret = try await gateway.store().serverSecret(named: "payment-binding", candidate: ChallengeBinding.randomSecret())
            var elsewhere = good.challenge
            elsewhere.realm = "evil.example"
            elsewhere.id = ChallengeBinding(secret: secret).id(for: elsewhere)
            #expect(ChallengeBinding(secret: secret).isBound(good.challenge), "the secret read is the gateway's")

            let table = try BadPaymentCredentials.variants(of: good) + [
                BadPaymentCredential("another realm, our secret", PaymentCredential(challenge: elsewhere, preimage: try good.lightningPreimage()).headerValue, .invalidChallenge),
                BadPaymentCredential("another paid challenge's preimage", PaymentCredential(challenge: good.challenge, preimage: try other.lightningPreimage()).headerValue, .verificationFailed),
                BadPaymentCredential("replayed", spent.headerValue, .invalidChallenge),
                BadPaymentCredential("lowercase scheme, replayed", "payment" + spent.headerValue.dropFirst("Payment".count), .invalidChallenge),
            ]
            #expect(table.count >= 30)
            for header in ["Authorization", "Payment-Authorization"] {
                for bad in table where bad.header.utf8.count < Self.httpHeaderLimit {
                    let response = try await gateway.send(.GET, "/paid/x", headers: [(header, bad.header)])
                    expectPaymentProblem(response, bad.problem, "\(header): \(bad)", preimage: preimage)
                }
                // Past the HTTP layer's limit on a request head, the request never reaches the paywall:
                // the parser refuses it (400 `header_too_large`), and the gateway goes on serving.
                let huge = try await gateway.send(.GET, "/paid/x", headers: [(header, "Payment " + String(repeating: "A", count: 100_000))])
                #expect(huge.status == 400, "\(header): 100 KB value → \(huge.status) \(huge.body.prefix(200))")
                #expect(huge.body.contains(#""error":"header_too_large""#), "\(header): \(huge.body.prefix(200))")
                let large = try await gateway.send(.GET, "/paid/x", headers: [(header, "Payment " + String(repeating: "A", count: 60_000))])
                expectPaymentProblem(large, .malformedCredential, "\(header): 60 KB value")
            }
            // An empty `Payment-Authorization` is a credential that says nothing, not an absent one.
            expectPaymentProblem(
                try await gateway.send(.GET, "/paid/x", headers: [("Payment-Authorization", "")]), .malformedCredential, "empty Payment-Authorization")
            #expect(try await gateway.send(.GET, "/_l402/health").status == 200)
            #expect(try await gateway.send(.GET, "/paid/x", authorization: good.headerValue).status == 200)
            #expect(try await gateway.send(.GET, "/paid/x", authorization: other.headerValue).status == 200)
            let paid = try await gateway.store().invocations(tool: "paid", since: nil, until: nil, limit: 100, offset: 0)
            #expect(paid.filter { $0.outcome == "paid" }.count == 3, "spent, good and other; no refusal was metered as paid")
        }
    }

    /// A request with a body is bound to it (`digest`): the credential is refused with another body
    /// (`verification-failed`, the challenge not used up) and served with its own.
    @Test func theDigestBindsTheBody() async throws {
        try await ServedL402.with(yaml: { Self.yaml($0) }) { gateway in
            let body = #"{"city":"Lisbon"}"#
            let credential = try await gateway.buyPayment("/paid/report", method: .POST, body: body)
            #expect(credential.challenge.digest == ContentDigest.sha256(Array(body.utf8)))
            let other = try await gateway.send(.POST, "/paid/report", authorization: credential.headerValue, body: #"{"city":"Porto"}"#)
            expectPaymentProblem(other, .verificationFailed, "another body")
            let served = try await gateway.send(.POST, "/paid/report", authorization: credential.headerValue, body: body)
            #expect(served.status == 200, "\(served.body)")
            #expect(try JSONDecoder().decode(EchoUpstream.Echo.self, from: Data(served.body.utf8)).bodyBytes == body.utf8.count)
        }
    }

    /// With a short invoice expiry, a challenge paid in time but presented after `expires` is
    /// `payment-expired`. The test waits for the clock to pass `expires`; it asserts no duration.
    @Test func anExpiredChallengeIsPaymentExpired() async throws {
        try await ServedL402.with(yaml: { Self.yaml($0, extra: "invoice_expiry: 10") }) { gateway in
            let credential = try await gateway.buyPayment("/paid/late")
            let expires = try #require(credential.challenge.expires.flatMap(PaymentTime.parse))
            #expect(expires.timeIntervalSinceNow <= 10)
            while Date() <= expires.addingTimeInterval(1) { try await Task.sleep(for: .milliseconds(200)) }
            let late = try await gateway.send(.GET, "/paid/late", authorization: credential.headerValue)
            expectPaymentProblem(late, .paymentExpired, "expired challenge")
        }
    }
}
