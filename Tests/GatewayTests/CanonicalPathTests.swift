import Foundation
import L402
import L402Server
import Testing

@testable import Gateway

/// Issue 15, bug 1: a price rule (and a `path_prefix` caveat) must not be slipped past by spelling
/// the path another way the upstream reads alike; what is priced is what is forwarded.
@Suite struct CanonicalPathTests {
    @Test(arguments: ["/priced/%62ulk", "/priced//bulk", "/priced/b%75lk/", "//priced/%62%75%6C%6B/x"])
    func anEncodedSpellingOfADearPathCostsTheDearPrice(path: String) async throws {
        try await GatewayHarness.with(tools: PaymentFlowTests.standardTools) { gateway throws in
            #expect(try await gateway.challenge(path, method: .POST).amount_sats == 50)
            // A token bought at the cheap price is refused there, and nothing reaches the upstream.
            let cheap = try await gateway.buy("/priced/item")
            let dear = try await gateway.send(.POST, path, authorization: "L402 \(cheap.macaroon):\(cheap.preimage)", body: "x")
            #expect(dear.status == 402)
        }
    }

    @Test func theUpstreamSeesTheCanonicalPath() async throws {
        try await GatewayHarness.with(tools: PaymentFlowTests.standardTools) { gateway throws in
            let token = try await gateway.buy("/priced/bulk", method: .POST)
            let paid = try await gateway.send(
                .POST, "/priced//%62ulk/%7Ex%3b?q=%2F", authorization: "L402 \(token.macaroon):\(token.preimage)", body: "x")
            #expect(paid.status == 200)
            let echo = try JSONDecoder().decode(EchoUpstream.Echo.self, from: Data(paid.body.utf8))
            #expect(echo.path == "/bulk/~x%3B?q=%2F")
        }
    }

    @Test func pricesMatchWholeSegments() async throws {
        try await GatewayHarness.with(tools: PaymentFlowTests.standardTools) { gateway throws in
            #expect(try await gateway.challenge("/priced/bulk/x", method: .POST).amount_sats == 50)
            #expect(try await gateway.challenge("/priced/bulkx", method: .POST).amount_sats == 2)
        }
    }

    @Test(arguments: ["/priced/..;/paid/x", "/priced/.;x/bulk", "/priced/%2e%2e%3b/x", "/priced/a%2fb", "/priced/a%00"])
    func ambiguousPathsAre400BadPath(path: String) async throws {
        try await GatewayHarness.with(tools: PaymentFlowTests.standardTools) { gateway throws in
            let answer = try await gateway.send(.GET, path)
            #expect(answer.status == 400)
            #expect(answer.body.contains(#""error":"bad_path""#))
        }
    }

    /// Found by `make fuzz` (target RequestPath): a raw space stayed raw, so the canonical form
    /// could not be forwarded as it was priced. It is percent-encoded like any byte the request line cannot carry.
    @Test func aRawSpaceIsPercentEncoded() throws {
        #expect(try CanonicalPath.canonicalize("/caf%C3%A9/c  ") == "/caf%C3%A9/c%20%20")
        #expect(try CanonicalPath.canonicalize("/a b/%20") == "/a%20b/%20")
    }
}
