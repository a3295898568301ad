import ByteEncoding
import Foundation
import L402
import Macaroons
import Storage
import Testing

/// `POST /_l402/admin/tokens/{token_id}/revoke`: a working token is refused on the very next call.
@Suite struct RevocationTests {
    static func fiveCalls(_ ports: [Int]) -> [ToolConfiguration] {
        [ToolConfiguration(slug: "weather", upstream: URL(string: "http://127.0.0.1:\(ports[0])")!, priceSats: 10, calls: 5)]
    }

    @Test func aRevokedTokenFailsOnTheNextCall() async throws {
        try await GatewayHarness.with(tools: Self.fiveCalls) { gateway in
            let token = try await gateway.buy("/weather/now")
            let credential = "L402 \(token.macaroon):\(token.preimage)"
            // The first call marks the token paid; the second finds its key in the gateway's cache of recent secrets.
            for _ in 0..<2 { #expect(try await gateway.send(.GET, "/weather/now", authorization: credential).status == 200) }
            let identifier = try L402Identifier(decoding: try Macaroon(decoding: token.macaroon).identifier)

            let revoked = try await gateway.admin(.POST, "tokens/\(identifier.tokenID.hex)/revoke", as: [String: String].self)
            #expect(revoked["revoked"] == identifier.tokenID.hex)

            let refused = try await gateway.send(.GET, "/weather/now", authorization: credential)
            #expect(refused.status == 401)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(refused.body.utf8)).error == "unknown_token")

            let again = try await gateway.admin(.POST, "tokens/\(identifier.tokenID.hex)/revoke")
            #expect(again.status == 404)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(again.body.utf8)).error == "unknown_token")
        }
    }

    /// Another gateway on the same database serves no call of a revoked token: at once, because a
    /// call can only be counted while the key is in the database; and its answer becomes the plain
    /// 401 once its cache of recent keys lets go of the key (2 s; see README "Operating the gateway").
    @Test func aRevocationReachesAnotherGatewayOnTheSameDatabase() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-revoke-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await GatewayHarness.with(dataDirectory: directory, tools: Self.fiveCalls) { first in
            try await GatewayHarness.with(dataDirectory: directory, tools: Self.fiveCalls) { second in
                let token = try await second.buy("/weather/now")
                let credential = "L402 \(token.macaroon):\(token.preimage)"
                for _ in 0..<2 { #expect(try await second.send(.GET, "/weather/now", authorization: credential).status == 200) }
                let tokenID = try L402Identifier(decoding: try Macaroon(decoding: token.macaroon).identifier).tokenID.hex
                _ = try await first.admin(.POST, "tokens/\(tokenID)/revoke", as: [String: String].self)
                #expect(try await first.send(.GET, "/weather/now", authorization: credential).status == 401)
                // The second gateway may still hold the key in its cache, but the database has no calls for it.
                let next = try await second.send(.GET, "/weather/now", authorization: credential)
                #expect(next.status == 401 || next.status == 402, "a revoked token was served: \(next.status)")
                #expect(try await eventually { try await second.send(.GET, "/weather/now", authorization: credential).status == 401 })
            }
        }
    }

    @Test func unknownAndMalformedTokenIDs() async throws {
        try await GatewayHarness.with(tools: AdminToolsAPITests.weather) { gateway in
            let unknown = try await gateway.admin(.POST, "tokens/\(TokenID.random().hex)/revoke")
            #expect(unknown.status == 404)
            for bad in ["abc", String(repeating: "zz", count: 32), String(repeating: "ab", count: 33)] {
                let response = try await gateway.admin(.POST, "tokens/\(bad)/revoke")
                let error = try JSONDecoder().decode(ErrorJSON.self, from: Data(response.body.utf8))
                #expect(response.status == 400 && error.field == "token_id", "\(bad): \(response.body)")
            }
        }
    }
}
