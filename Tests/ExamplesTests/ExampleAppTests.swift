import Foundation
import Testing
import TestSupport

/// The example apps (Examples/HummingbirdApp, Examples/VaporApp) take payment end to end: paid by
/// `l402 fetch` and by the third-party Python client l402-requests, unchanged.
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
            let peer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/l402_requests_peer.py").path
            let output = try await Subprocess.outputInBackground("python3", [peer, app.base, "/premium/a", "/premium/a", "/basic/c", "/basic/d"])
            let answers = try output.split(separator: "\n").map { line in
                try JSONDecoder().decode(PeerAnswer.self, from: Data(line.utf8))
            }
            #expect(answers.map(\.status) == [200, 200, 200, 200])
            #expect(answers.map(\.paid_sats) == [10, 0, 0, 2], "a 3-call token, its second call, a free call, a paid call")
            #expect(answers[1].body == "premium content; calls left on your token: 1\n")
            #expect(answers[2].body == "basic /basic/c (free call)\n")
            #expect(answers[3].body == "basic /basic/d (paid)\n")
        }
    }

    struct PeerAnswer: Decodable {
        var path: String
        var status: Int
        var body: String
        var paid_sats: Int
    }
}
