import Foundation
import Testing
import TestSupport

/// The example apps (Examples/HummingbirdApp, Examples/VaporApp) take payment end to end: paid by
/// `l402 fetch` and by the third-party Python client l402-requests, unchanged; and l402-requests
/// pays the gateway's L402 offer beside its `Payment` offer, or the `Payment` offer alone.
@Suite struct ExampleAppTests {
    @Test(arguments: ExampleApp.all)
    func l402FetchPaysBothRoutes(app name: String) async throws {
        try await ExampleApp.with(name) { app in
            let tokens = (NSTemporaryDirectory() as NSString).appendingPathComponent("l402-tokens-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(atPath: tokens) }

            let first = try await app.fetch("/premium/report", tokenDirectory: tokens)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout == "premium content; calls left on your token: 2\n")
            #expect(first.stderr.contains("10 sats"), "a 10-sat token was bought: \(first.stderr)")
            let second = try await app.fetch("/premium/again", tokenDirectory: tokens)
            #expect(second.stdout == "premium content; calls left on your token: 1\n")
            #expect(second.stderr.contains("nothing paid"), "the cached token pays for the second call: \(second.stderr)")

            let free = try await app.fetch("/basic/x", tokenDirectory: tokens)
            #expect(free.stdout == "basic /basic/x (free call)\n")
            let paid = try await app.fetch("/basic/y", tokenDirectory: tokens)
            #expect(paid.status == 0, "\(paid.stderr)")
            #expect(paid.stdout == "basic /basic/y (paid)\n")
            #expect(paid.stderr.contains("2 sats"), "\(paid.stderr)")
        }
    }

    @Test(arguments: ExampleApp.all)
    func l402RequestsPaysUnchanged(app name: String) async throws {
        try await ExampleApp.with(name) { app in
            // The app offers both schemes; l402-requests pays the L402 one (its preference).
            #expect(GatewayParityTests.offers(try await GatewayParityTests.send(app.base + "/premium/offer")) == ["LSAT", "L402", "Payment"])
            let answers = try await Self.l402Requests(app.base, ["/premium/a", "/premium/a", "/basic/c", "/basic/d"])
            #expect(answers.map(\.status) == [200, 200, 200, 200])
            #expect(answers.map(\.paid_sats) == [10, 0, 0, 2], "a 3-call token, its second call, a free call, a paid call")
            #expect(answers[1].body == "premium content; calls left on your token: 1\n")
            #expect(answers[2].body == "basic /basic/c (free call)\n")
            #expect(answers[3].body == "basic /basic/d (paid)\n")
        }
    }

    /// l402-requests against `l402 serve --demo`: with the `Payment` offer beside L402 it pays L402 (a
    /// token per call, no receipt); told `Accept-Payment: lightning/charge`, it is offered and pays
    /// `Payment` alone, and reads the gateway's `Payment-Receipt`.
    @Test func l402RequestsPaysTheGatewayWithThePaymentOfferBeside() async throws {
        try await GatewayParityTests.withGateway { base in
            #expect(GatewayParityTests.offers(try await GatewayParityTests.send(base + "/echo/offer")) == ["LSAT", "L402", "Payment"])
            let l402 = try await Self.l402Requests(base, ["/echo/a", "/echo/b"])
            #expect(l402.map(\.status) == [200, 200] && l402.map(\.paid_sats) == [5, 5])
            #expect(l402.allSatisfy { $0.receipt == nil }, "an L402 call has no Payment-Receipt")

            let payment = try await Self.l402Requests(base, ["-H", "Accept-Payment: lightning/charge", "/echo/c", "/echo/d"])
            #expect(payment.map(\.status) == [200, 200] && payment.map(\.paid_sats) == [5, 5])
            for answer in payment {
                #expect(answer.body.contains("Paid call received"), "\(answer.body)")
                #expect(answer.receipt?.status == "success" && answer.receipt?.method == "lightning", "\(answer)")
                #expect(answer.receipt?.reference?.count == 64 && answer.receipt?.challenge_id?.isEmpty == false, "\(answer)")
            }
            #expect(payment[0].receipt?.reference != payment[1].receipt?.reference, "one charge per call")
        }
    }

    /// Runs the l402-requests peer against `base` with `arguments` (`-H` headers and paths); one answer per path.
    static func l402Requests(_ base: String, _ arguments: [String]) async throws -> [PeerAnswer] {
        let peer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/l402_requests_peer.py").path
        let output = try await Subprocess.outputInBackground("python3", [peer, base] + arguments)
        return try output.split(separator: "\n").map { try JSONDecoder().decode(PeerAnswer.self, from: Data($0.utf8)) }
    }

    struct PeerAnswer: Decodable {
        var path: String
        var status: Int
        var body: String
        var paid_sats: Int
        var receipt: Receipt?

        /// l402-requests' reading of the `Payment-Receipt`.
        struct Receipt: Decodable {
            var status: String?
            var method: String?
            var reference: String?
            var challenge_id: String?
        }
    }
}
