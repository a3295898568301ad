import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TestSupport

/// The middlewares answer exactly like the gateway: the same status codes, `WWW-Authenticate`
/// offers in the same order, the same JSON body fields and error codes, and the same `token_spent`
/// behaviour. Each server is driven through the same scenarios and the answers compared.
@Suite struct GatewayParityTests {
    /// What a client can observe of one answer, without the parts that differ by design (invoices, tokens).
    struct Observed: Equatable, CustomStringConvertible {
        var status: Int
        var offers: [String]
        var contentType: String?
        var bodyFields: [String]
        var error: String?
        var description: String { "\(status) offers=\(offers) \(contentType ?? "-") fields=\(bodyFields) error=\(error ?? "-")" }
    }

    @Test(arguments: ExampleApp.all)
    func middlewareAnswersLikeTheGateway(app name: String) async throws {
        let gatewayAnswers = try await Self.withGateway { base in
            try await Self.scenarios(base: base, multiCall: "/echo/x", oneCall: "/echo/y", freeCallFirst: false)
        }
        let appAnswers = try await ExampleApp.with(name) { app in
            try await Self.scenarios(base: app.base, multiCall: "/premium/x", oneCall: "/basic/y", freeCallFirst: true)
        }
        #expect(appAnswers.count == gatewayAnswers.count)
        for (scenario, (gateway, app)) in zip(Self.scenarioNames, zip(gatewayAnswers, appAnswers)) {
            #expect(app == gateway, "\(scenario): \(name) answered \(app), the gateway \(gateway)")
        }
        #expect(gatewayAnswers[0].status == 402 && gatewayAnswers[0].offers == ["LSAT", "L402", "Payment"])
        #expect(gatewayAnswers[3].error == "token_spent")
    }

    static let scenarioNames = ["no credential", "malformed credential", "wrong preimage", "spent one-call token", "bad path"]

    /// Runs every scenario against one server. `freeCallFirst`: the one-call route grants a free call
    /// a day, used up first so the next call is asked to pay.
    static func scenarios(base: String, multiCall: String, oneCall: String, freeCallFirst: Bool) async throws -> [Observed] {
        var answers: [Observed] = []
        let challenge = try await send(base + multiCall)
        answers.append(try observe(challenge))
        answers.append(try observe(try await send(base + multiCall, authorization: "L402 not*base64:zz")))
        let macaroon = try #require(try challengeField(challenge, "macaroon"))
        answers.append(try observe(try await send(base + multiCall, authorization: "L402 \(macaroon):\(String(repeating: "0", count: 64))")))

        if freeCallFirst { #expect(try await send(base + oneCall).status == 200) }
        let offer = try await send(base + oneCall)
        let token = try #require(try challengeField(offer, "macaroon"))
        let preimage = try await pay(base: base, invoice: try #require(try challengeField(offer, "invoice")))
        let credential = "L402 \(token):\(preimage)"
        #expect(try await send(base + oneCall, authorization: credential).status == 200)
        answers.append(try observe(try await send(base + oneCall, authorization: credential)))
        answers.append(try observe(try await send(base + multiCall + "/%2e%2e/x")))
        return answers
    }

    static func withGateway<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("l402-parity-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try RunningProcess(try Subprocess.l402Binary, ["serve", "--demo", "--port", "0", "--admin-port", "0", "--data-dir", directory])
        do {
            let port = try await server.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
            let result = try await body("http://127.0.0.1:\(port)")
            _ = try await server.terminate()
            return result
        } catch {
            _ = try? await server.terminate()
            throw error
        }
    }

    struct Answer {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
    }

    static func send(_ url: String, method: HTTPMethod = .GET, authorization: String? = nil, body: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: Array(buffer: bytes))
    }

    static func observe(_ answer: Answer) throws -> Observed {
        let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any] ?? [:]
        return Observed(
            status: answer.status,
            offers: offers(answer),
            contentType: answer.headers.first { $0.0.lowercased() == "content-type" }?.1,
            bodyFields: object.keys.sorted(), error: object["error"] as? String)
    }

    /// The schemes of an answer's `WWW-Authenticate` offers, in order.
    static func offers(_ answer: Answer) -> [String] {
        answer.headers.filter { $0.0.lowercased() == "www-authenticate" }.map { String($0.1.prefix { $0 != " " }) }
    }

    static func challengeField(_ answer: Answer, _ name: String) throws -> String? {
        (try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])?[name] as? String
    }

    static func pay(base: String, invoice: String) async throws -> String {
        let answer = try await send(base + "/_l402/dev/pay", method: .POST, body: #"{"invoice":"\#(invoice)"}"#)
        return try #require(try challengeField(answer, "preimage"))
    }
}
