import AsyncHTTPClient
import Foundation
import L402Server
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// A paywall on SQLite with the dev node in a fresh directory, and a route whose handler fails the
/// first `failures` times: the scenario both middleware tests run.
final class FlakyRouteScenario: Sendable {
    let paywall: Paywall
    let node: DevNode
    let directory: String
    private let failuresLeft: Mutex<Int>

    init(failures: Int) throws {
        directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("l402-middleware-\(UUID().uuidString)")
        let database = try PaywallDatabase.sqlite(path: directory + "/l402.sqlite")
        node = DevNode(key: try DevNode.loadOrCreateKey(at: directory + "/dev-node.key"), store: database.store)
        paywall = Paywall(store: database.store, node: node)
        failuresLeft = Mutex(failures)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The pricing of the flaky route: one call per token.
    static let pricing = Pricing(tool: "flaky", sats: 3)

    /// Whether the handler should fail this time (and count the failure).
    func shouldFail() -> Bool {
        failuresLeft.withLock { left in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
    }

    /// Buys a one-call token at `url`, makes the handler fail with it, and checks that the call was
    /// given back: the same credential then succeeds once, and only once.
    func run(url: String) async throws {
        let challenge = try await Self.send(url)
        #expect(challenge.status == 402)
        let body = try JSONDecoder().decode([String: JSONScalar].self, from: Data(challenge.body))
        guard case .string(let invoice) = body["invoice"], case .string(let macaroon) = body["macaroon"] else {
            Issue.record("no offer in \(String(decoding: challenge.body, as: UTF8.self))")
            return
        }
        let preimage = try await node.pay(paymentRequest: invoice, feeLimitSats: 0).preimage
        let credential = "L402 \(macaroon):\(preimage.map { String(format: "%02x", $0) }.joined())"

        #expect(try await Self.send(url, authorization: credential).status == 500, "the handler fails")
        let served = try await Self.send(url, authorization: credential)
        #expect(served.status == 200, "the failed call was given back, so the paid token still has its call")
        #expect(String(decoding: served.body, as: UTF8.self) == "calls left: 0")
        let again = try await Self.send(url, authorization: credential)
        #expect(again.status == 402)
        #expect(String(decoding: again.body, as: UTF8.self).contains(#""error":"token_spent""#))

        let rows = try await paywall.store.invocations(tool: "flaky", since: nil, until: nil, limit: 10, offset: 0)
        #expect(rows.map(\.outcome).sorted() == ["paid", "upstream_error"])
        #expect(rows.first { $0.outcome == "paid" }?.sats == 3)
        #expect(rows.first { $0.outcome == "upstream_error" }?.sats == 0)
    }

    /// After `run(url:)`: pays the route's `Payment` offer and makes the handler fail once more with
    /// it; the same credential is then served once with its receipt, and its replay refused with a
    /// problem body and a fresh offer.
    func runPayment(url: String) async throws {
        failuresLeft.withLock { $0 = 1 }
        let challenged = try await Self.send(url)
        #expect(challenged.status == 402 && challenged.headers.first(name: "Cache-Control") == "no-store")
        let offers = challenged.headers["WWW-Authenticate"]
        #expect(offers.count == 3)
        let challenge = try PaymentChallenge(parsing: try #require(offers.last))
        let invoice = try LightningChargeRequest(encoded: challenge.request).invoice
        let preimage = try await node.pay(paymentRequest: invoice, feeLimitSats: 0).preimage
        let credential = PaymentCredential(challenge: challenge, preimage: preimage).headerValue

        let failed = try await Self.send(url, authorization: credential)
        #expect(failed.status == 500 && failed.headers.first(name: "Payment-Receipt") == nil, "the handler fails")
        let served = try await Self.send(url, authorization: credential)
        #expect(served.status == 200, "the failed call was given back, so the charge still has its call")
        #expect(String(decoding: served.body, as: UTF8.self) == "calls left: 0")
        #expect(served.headers.first(name: "Cache-Control") == "private")
        let receipt = try PaymentReceipt(parsing: try #require(served.headers.first(name: "Payment-Receipt")))
        #expect(receipt.challengeID == challenge.id && receipt.status == "success")

        let again = try await Self.send(url, authorization: credential)
        #expect(again.status == 402)
        #expect(again.headers.first(name: "Content-Type") == "application/problem+json")
        #expect(String(decoding: again.body, as: UTF8.self).contains("invalid-challenge"))
        #expect(again.headers["WWW-Authenticate"].count == 3, "a fresh offer comes with the refusal")

        let rows = try await paywall.store.invocations(tool: "flaky", since: nil, until: nil, limit: 10, offset: 0)
        #expect(rows.map(\.outcome).sorted() == ["paid", "paid", "upstream_error", "upstream_error"])
        #expect(rows.filter { $0.tokenID == receipt.reference }.map(\.sats).sorted() == [0, 3])
    }

    static func send(
        _ url: String, method: HTTPMethod = .GET, authorization: String? = nil, body: String? = nil
    ) async throws -> (status: Int, headers: HTTPHeaders, body: [UInt8]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), response.headers, Array(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    /// A JSON value of the challenge body that is a string or a number.
    enum JSONScalar: Decodable {
        case string(String)
        case number(Double)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) { self = .string(string) }
            else if let number = try? container.decode(Double.self) { self = .number(number) }
            else { self = .other }
        }
    }
}
