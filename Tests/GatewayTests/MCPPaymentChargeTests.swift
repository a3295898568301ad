import ByteEncoding
import Foundation
import L402
import Testing

@testable import Gateway

/// The `Payment` charge over the MCP transport (draft-payment-transport-mcp-00): the credential as
/// an object in `params._meta["org.paymentauth/credential"]` (its challenge's `request` an object),
/// the receipt in `result._meta["org.paymentauth/receipt"]`, refusals as `-32042` with the fresh
/// challenge in `data.challenges` and the problem in `data.problem`.
@Suite struct MCPPaymentChargeTests {
    @Test func aChargePaidInMetaIsServedOnceWithItsReceipt() async throws {
        let upstream = CountingMCPUpstream()
        try await GatewayHarness.with(upstreams: [upstream], tools: { ports in [MCPGatewayTests.tool(port: ports[0])] }) { gateway in
            let plain = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search"}}"#
            let challenged = try await gateway.send(.POST, "/paid/mcp", body: plain)
            let line = try #require(challenged.headers["WWW-Authenticate"].last { $0.hasPrefix("Payment ") })
            let challenge = try PaymentChallenge(parsing: line)
            let request = try LightningChargeRequest(encoded: challenge.request)
            #expect(request.amountSats == 5)
            let preimage = try await gateway.pay(request.invoice)

            // The credential as the transport sends it: the challenge object with `request` decoded.
            let echoed = try #require(challenge.transportJSON)
            let credential = "{\"challenge\":\(echoed.canonicalString),\"payload\":{\"preimage\":\"\(preimage)\"}}"
            let call = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","_meta":{"org.paymentauth/credential":"#
                + credential + "}}}"
            let paid = try await gateway.send(.POST, "/paid/mcp", body: call)
            #expect(paid.status == 200)
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(paid.body.utf8)) as? [String: Any])
            let meta = try #require((answer["result"] as? [String: Any])?["_meta"] as? [String: Any])
            let receipt = try #require(meta["org.paymentauth/receipt"] as? [String: Any])
            #expect(receipt["status"] as? String == "success" && receipt["challengeId"] as? String == challenge.id)
            #expect(receipt["reference"] as? String == Hex.encode(try #require(request.paymentHash)))
            #expect(upstream.count == 1)

            let replay = try await gateway.send(.POST, "/paid/mcp", body: call)
            #expect(replay.status == 200, "a JSON-RPC error, at the MCP level")
            let error = try #require((try JSONSerialization.jsonObject(with: Data(replay.body.utf8)) as? [String: Any])?["error"] as? [String: Any])
            #expect(error["code"] as? Int == -32042)
            let data = try #require(error["data"] as? [String: Any])
            let problem = try #require(data["problem"] as? [String: Any])
            #expect(problem["type"] as? String == "https://paymentauth.org/problems/invalid-challenge")
            let fresh = try #require((data["challenges"] as? [[String: Any]])?.first)
            #expect(fresh["method"] as? String == "lightning" && fresh["id"] as? String != challenge.id)
            #expect(problem["challengeId"] as? String == fresh["id"] as? String)
            #expect((fresh["request"] as? [String: Any])?["amount"] as? String == "5", "request travels as an object")
            #expect(upstream.count == 1, "the replay never reached the upstream")

            let rows = try await gateway.invocations(tool: "paid")
            #expect(rows.map { "\($0.mcpTool ?? "-") \($0.outcome) \($0.sats) \($0.scheme ?? "-")" } == ["search paid 5 payment"])
        }
    }

    @Test func aCredentialInMetaThatIsNotAnObjectIsRefused() async throws {
        try await GatewayHarness.with(upstreams: [CountingMCPUpstream()], tools: { ports in [MCPGatewayTests.tool(port: ports[0])] }) { gateway in
            let call = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","_meta":{"org.paymentauth/credential":"Payment abc"}}}"#
            let refused = try await gateway.send(.POST, "/paid/mcp", body: call)
            #expect(refused.status == 400)
            #expect(refused.body.contains("org.paymentauth/credential"))
        }
    }
}
