import Foundation
import L402
import Macaroons

/// A paid one-call token as a client holds it, with its token id (as the ledger names it).
struct PaidToken: Sendable {
    let credential: String
    let tokenID: String

    init(macaroon: String, preimage: String) throws {
        credential = "L402 \(macaroon):\(preimage)"
        tokenID = try L402Identifier(decoding: try Macaroon(decoding: macaroon).identifier).tokenID.hex
    }

    /// Buys `count` tokens for `path`, each challenged by one gateway and paid at the next one, eight at a time
    /// (the test run shares two cores with the gateways).
    static func buy(_ count: Int, path: String, from gateways: [any GatewayEndpoint]) async throws -> [PaidToken] {
        try await withThrowingTaskGroup(of: (Int, PaidToken).self) { group in
            var tokens: [Int: PaidToken] = [:]
            for index in 0..<count {
                if index >= 8, let (done, token) = try await group.next() { tokens[done] = token }
                group.addTask {
                    let challenge = try await gateways[index % gateways.count].challenge(path)
                    let preimage = try await gateways[(index + 1) % gateways.count].pay(challenge.invoice)
                    return (index, try PaidToken(macaroon: challenge.macaroon, preimage: preimage))
                }
            }
            for try await (done, token) in group { tokens[done] = token }
            return (0..<count).map { tokens[$0]! }
        }
    }
}

/// One answer to presenting a token: which gateway, the status, and the `error` code of a JSON body.
struct Presentation: Sendable {
    let token: Int
    let gateway: Int
    let status: Int
    let error: String?

    /// Presents `tokens[token]` at `gateways[gateway]` for `path`.
    static func present(
        _ token: Int, _ tokens: [PaidToken], at gateway: Int, of gateways: [any GatewayEndpoint], path: String
    ) async throws -> Presentation {
        let response = try await gateways[gateway].send(.GET, path, authorization: tokens[token].credential)
        let error = (try? JSONDecoder().decode(ErrorCode.self, from: Data(response.body.utf8)))?.error
        return Presentation(token: token, gateway: gateway, status: response.status, error: error)
    }

    private struct ErrorCode: Decodable { var error: String? }
}
