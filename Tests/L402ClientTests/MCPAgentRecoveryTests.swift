import ByteEncoding
import Foundation
import L402Client
import Testing
import TestSupport

/// `l402 mcp` shares `l402 fetch`'s crash recovery: a payment an earlier run made and could not
/// use (it died right after paying) is found again through the token directory and the wallet's
/// record, and nothing is paid twice. Driven by the Python MCP SDK's client over stdio.
@Suite struct MCPAgentRecoveryTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("GatewayTests/Peers/mcp_agent.py").path

    @Test func aPaymentARunDiedAfterIsUsedWithoutPayingAgain() async throws {
        try await ServedGateway.with { gateway in
            let directory = try TemporaryDirectory()
            let url = gateway.url.appendingPathComponent("multi/x")
            // What a run that died right after paying left behind: the pending challenge on disk, its invoice paid.
            let offer = try await gateway.challenge(url)
            let origin = try #require(Origin(url: url))
            try await TokenCache(directory: directory.path).savePending(CachedToken(
                origin: origin.description, scope: "/multi/", macaroon: offer.challenge.macaroon.encoded(), invoice: offer.challenge.invoice,
                paymentHash: Hex.encode(offer.paymentHash), amountSats: offer.amountSats, callsLimit: offer.calls,
                invoiceExpiresAt: offer.invoiceExpiresAt))
            _ = try await DevWallet(gateway: gateway.url).pay(invoice: offer.challenge.invoice)
            #expect(try gateway.settledInvoiceCount() == 1)

            let result = try await Subprocess.runInBackground(
                "python3", [Self.script, try Subprocess.l402Binary, gateway.url.absoluteString, directory.path, "resume",
                            gateway.url.appendingPathComponent("multi/y").absoluteString])
            let report = try #require(
                try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\n\(result.stderr)")
            let fetched = try #require((report["fetch"] as? [String: Any])?["value"] as? [String: Any], "\(report)")
            #expect(fetched["status"] as? Int == 200)
            #expect(fetched["body"] as? String == "upstream saw GET /y")
            #expect(fetched["paid_sats"] as? Int == 0)
            #expect(fetched["recovered_sats"] as? Int == 5)
            #expect(((report["budget"] as? [String: Any])?["value"] as? [String: Any])?["spent_sats"] as? Int == 0)
            #expect(try gateway.settledInvoiceCount() == 1, "exactly one invoice was ever paid")
        }
    }
}
