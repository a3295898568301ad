import ByteEncoding
import Foundation
import L402
import Lightning
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import TestSupport

/// A paid endpoint on loopback built from the L402 module's server-side types only: it issues a
/// `Payment` (Lightning `charge`) challenge for a fresh dev-node invoice (`PaymentChallengeIssuer`),
/// verifies the credential (`PaymentVerifier`), lets each challenge succeed once
/// (`InMemoryPaymentChallengeStore`) and answers with a `Payment-Receipt`; refusals are 402 +
/// fresh challenge + problem+json. With `l402Calls`, the same 402 also offers L402 (`Minter`,
/// `Authenticator`). It serves the dev wallet's `/_l402/dev/pay` and `/_l402/dev/payments/…`
/// too, so `DevWallet` and `l402 fetch --wallet dev=…` can pay it.
final class PaymentTestServer: Sendable {
    static let realm = "payment-test-server"
    let node = DevNode(key: .random(), store: InMemoryDevInvoiceStore())
    let secret = ChallengeBinding.randomSecret()
    let store = InMemoryPaymentChallengeStore()
    let priceSats: UInt64
    /// Calls an L402 token buys; nil: no L402 offer.
    let l402Calls: Int?
    /// Changes each Payment challenge before it is sent (tampering tests); nil: sent as issued.
    let tamper: (@Sendable (PaymentChallenge) -> PaymentChallenge)?
    private let secrets = InMemorySecretStore()
    private let usage = InMemoryTokenUsageStore()
    private let counters = NIOLockedValueBox((served: 0, challenged: 0))
    private let channel = NIOLockedValueBox<(any Channel)?>(nil)

    var issuer: PaymentChallengeIssuer { PaymentChallengeIssuer(binding: ChallengeBinding(secret: secret), realm: Self.realm) }
    var verifier: PaymentVerifier { PaymentVerifier(binding: ChallengeBinding(secret: secret), realm: Self.realm) }
    /// Calls answered 200.
    var served: Int { counters.withLockedValue { $0.served } }
    var port: Int { channel.withLockedValue { $0?.localAddress?.port ?? 0 } }
    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    private init(priceSats: UInt64, l402Calls: Int?, tamper: (@Sendable (PaymentChallenge) -> PaymentChallenge)?) {
        self.priceSats = priceSats
        self.l402Calls = l402Calls
        self.tamper = tamper
    }

    static func start(
        priceSats: UInt64 = 3, l402Calls: Int? = nil, tamper: (@Sendable (PaymentChallenge) -> PaymentChallenge)? = nil
    ) async throws -> PaymentTestServer {
        let server = PaymentTestServer(priceSats: priceSats, l402Calls: l402Calls, tamper: tamper)
        let bound = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(CollectingHTTPHandler { request, writer in
                        let loop = writer.eventLoop
                        let writer = NIOLoopBound(writer, eventLoop: loop)
                        Task {
                            let (status, headers, body) = await server.answer(request)
                            loop.execute { writer.value.writeWhole(status: status, headers: HTTPHeaders(headers), body: body) }
                        }
                    })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        server.channel.withLockedValue { $0 = bound }
        return server
    }

    func stop() async throws {
        try await channel.withLockedValue { $0 }?.close()
    }

    typealias Answer = (HTTPResponseStatus, [(String, String)], [UInt8])

    private func answer(_ request: CollectedHTTPRequest) async -> Answer {
        let path = String(request.head.uri.split(separator: "?", maxSplits: 1).first ?? "/")
        if path.hasPrefix("/_l402/dev/") { return await devWallet(path: path, body: request.body) }
        let authorization = request.head.headers["Payment-Authorization"].first ?? request.head.headers["Authorization"].first
        guard let authorization else { return await challenge(request, problem: nil) }
        if authorization.lowercased().hasPrefix("payment ") {
            do throws(PaymentVerificationFailure) {
                let verified = try verifier.verify(authorization: authorization, requestBody: request.body.isEmpty ? nil : request.body)
                guard await store.consume(verified) else {
                    return await challenge(request, problem: .invalidChallenge("the challenge was already used"))
                }
                counters.withLockedValue { $0.served += 1 }
                let receipt = PaymentReceipt(verified: verified)
                return (.ok, [("Payment-Receipt", receipt.headerValue), ("Cache-Control", "private")], Array("paid \(path)".utf8))
            } catch {
                return await challenge(request, problem: error)
            }
        }
        do {
            _ = try await Authenticator(secrets: secrets, usage: usage)
                .authenticate(authorization: authorization, request: ProtectedRequest(tool: "weather", method: request.head.method.rawValue, path: path))
            counters.withLockedValue { $0.served += 1 }
            return (.ok, [], Array("paid \(path)".utf8))
        } catch {
            return (.unauthorized, [("Content-Type", "application/json")], Array(#"{"error":"invalid_token"}"#.utf8))
        }
    }

    /// A 402 with a fresh Payment challenge (and an L402 one when configured).
    private func challenge(_ request: CollectedHTTPRequest, problem: PaymentVerificationFailure?) async -> Answer {
        counters.withLockedValue { $0.challenged += 1 }
        do {
            let invoice = try await node.createInvoice(amountSats: priceSats, memo: "payment test", expirySeconds: 600)
            var payment = try issuer.challenge(
                invoice: invoice.paymentRequest, description: "test call", requestBody: request.body.isEmpty ? nil : request.body)
            if let tamper { payment = tamper(payment) }
            var headers: [(String, String)] = [("Cache-Control", "no-store")]
            var body = (problem?.problem(challengeID: payment.id) ?? PaymentProblem(.paymentRequired, detail: "Payment required", challengeID: payment.id)).jsonBytes
            var contentType = PaymentProblem.contentType
            if let calls = l402Calls, problem == nil {
                let minted = try await Minter(node: node, secrets: secrets, location: "test")
                    .mint(tool: "weather", priceSats: priceSats, calls: calls, validForSeconds: 3600, memo: "l402 test")
                headers += minted.headerValues.map { ("WWW-Authenticate", $0) }
                body = Array(try JSONEncoder().encode(minted.jsonBody))
                contentType = "application/json"
            }
            headers.append(("WWW-Authenticate", payment.headerValue))
            headers.append(("Content-Type", contentType))
            return (.paymentRequired, headers, body)
        } catch {
            return (.internalServerError, [], Array("test server: \(error)".utf8))
        }
    }

    /// The dev wallet's two endpoints, on this server's dev node.
    private func devWallet(path: String, body: [UInt8]) async -> Answer {
        struct Pay: Decodable { var invoice: String }
        let json = [("Content-Type", "application/json")]
        if path == "/_l402/dev/pay" {
            guard let pay = try? JSONDecoder().decode(Pay.self, from: Data(body)),
                  let payment = try? await node.pay(paymentRequest: pay.invoice, feeLimitSats: 0)
            else { return (.badRequest, json, Array(#"{"error":"payment_failed"}"#.utf8)) }
            return (.ok, json, Array(#"{"preimage":"\#(Hex.encode(payment.preimage))"}"#.utf8))
        }
        let hash = String(path.dropFirst("/_l402/dev/payments/".count))
        guard let bytes = try? Hex.decode(hash), bytes.count == 32,
              let past = try? await LightningNodeWallet(node: node).pastPayment(paymentHash: bytes)
        else { return (.badRequest, json, Array(#"{"error":"bad_request"}"#.utf8)) }
        switch past {
        case .paid(let preimage): return (.ok, json, Array(#"{"status":"succeeded","preimage":"\#(Hex.encode(preimage))"}"#.utf8))
        case .inFlight: return (.ok, json, Array(#"{"status":"in_flight"}"#.utf8))
        case .failed: return (.ok, json, Array(#"{"status":"failed"}"#.utf8))
        case .notFound: return (.notFound, json, Array(#"{"error":"unknown_payment"}"#.utf8))
        }
    }
}
