import AsyncHTTPClient
import Foundation
import L402Server
import NIOCore
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

    static func send(_ url: String, authorization: String? = nil) async throws -> (status: Int, body: [UInt8]) {
        var request = HTTPClientRequest(url: url)
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), Array(buffer: try await response.body.collect(upTo: 1 << 20)))
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
