import ByteEncoding
import Foundation
import L402
import Testing

@testable import Gateway

/// One structured log line per tool request, and never a secret in any log line.
@Suite struct RequestLogTests {
    @Test func oneLinePerRequestAndNoSecretAnywhere() async throws {
        let sink = CapturingLogHandler.Sink()
        try await GatewayHarness.with(server: { $0.logger = sink.logger() }, tools: PaymentFlowTests.standardTools) { gateway in
            let challenge = try await gateway.challenge("/paid/x")
            let preimage = try await gateway.pay(challenge.invoice)
            let credential = "L402 \(challenge.macaroon):\(preimage)"
            #expect(try await gateway.send(.GET, "/paid/x", authorization: credential).status == 200)
            #expect(try await gateway.send(.GET, "/paid/x", authorization: credential).status == 402)  // spent
            let forged = "L402 \(challenge.macaroon):\(String(repeating: "ab", count: 32))"
            #expect(try await gateway.send(.GET, "/paid/x", authorization: forged).status == 401)

            let lines = sink.all.filter { $0.message == "request" }
            #expect(lines.map { $0.metadata["outcome"] } == ["challenged", "paid", "challenged", "refused"])
            let tokenID = try #require(try await gateway.invocations(tool: "paid").first?.tokenID)
            let paid = try #require(lines.dropFirst().first)
            #expect(paid.level == .info)
            #expect(paid.metadata["tool"] == "paid" && paid.metadata["status"] == "200")
            #expect(paid.metadata["token_id"] == tokenID)
            #expect(paid.metadata["client_ip"] == "127.0.0.1")
            #expect(Double(paid.metadata["latency_ms"] ?? "") != nil)
            #expect(lines[0].metadata["token_id"] == nil)  // a fresh challenge: no token was named
            #expect(lines[2].metadata["reason"] == "token_spent" && lines[2].metadata["token_id"] == tokenID)
            #expect(lines[3].metadata["reason"] == "wrong_preimage" && lines[3].metadata["status"] == "401")
            #expect(lines[3].metadata["token_id"] == tokenID)

            let rootKey = try #require(try await gateway.store().secret(for: TokenID(hex: tokenID))?.rootKey)
            let secrets = [
                challenge.macaroon, String(challenge.macaroon.prefix(40)), preimage, preimage.uppercased(),
                Hex.encode(rootKey), Base64.encode(rootKey),
            ]
            let everything = sink.all.map(\.text)
            #expect(!everything.isEmpty)
            for secret in secrets {
                #expect(!everything.contains { $0.contains(secret) }, "a secret was logged")
            }
        }
    }
}
