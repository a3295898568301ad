import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A gateway a test talks to over HTTP, wherever it runs (in-process harness or an `l402 serve` child):
/// plain requests and the L402 dance (challenge, dev payment, credential).
protocol GatewayEndpoint: Sendable {
    /// `http://127.0.0.1:<port>`
    var base: String { get }
    /// The client requests go through (`HTTPClient.shared` unless the endpoint brings its own).
    var httpClient: HTTPClient { get }
}

extension GatewayEndpoint {
    var httpClient: HTTPClient { .shared }

    /// Sends a request to the gateway; returns status, headers and the whole body.
    func send(
        _ method: HTTPMethod = .GET, _ path: String, authorization: String? = nil, headers: [(String, String)] = [],
        body: String? = nil
    ) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.headers.add(contentsOf: headers)
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await httpClient.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), response.headers, String(buffer: bytes))
    }

    /// The 402 challenge for `path`, decoded from its JSON body.
    func challenge(_ path: String, method: HTTPMethod = .GET) async throws -> ChallengeJSON {
        let response = try await send(method, path)
        guard response.status == 402 else { throw HarnessError("expected 402 for \(path), got \(response.status): \(response.body)") }
        return try JSONDecoder().decode(ChallengeJSON.self, from: Data(response.body.utf8))
    }

    /// Pays `invoice` through the dev node's endpoint; returns the preimage (hex).
    func pay(_ invoice: String) async throws -> String {
        let body = String(decoding: try JSONEncoder().encode(["invoice": invoice]), as: UTF8.self)
        let response = try await send(.POST, "/_l402/dev/pay", body: body)
        guard response.status == 200 else { throw HarnessError("dev pay answered \(response.status): \(response.body)") }
        return try JSONDecoder().decode([String: String].self, from: Data(response.body.utf8))["preimage"] ?? ""
    }

    /// Buys a token for `path`: challenge, pay. Returns the macaroon (base64) and preimage (hex).
    func buy(_ path: String, method: HTTPMethod = .GET) async throws -> (macaroon: String, preimage: String) {
        let challenge = try await challenge(path, method: method)
        return (challenge.macaroon, try await pay(challenge.invoice))
    }
}
