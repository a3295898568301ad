import Foundation
import TestSupport
import Testing

/// The built `l402 serve` binary, driven like a user would: curl does the dance, SIGTERM stops it.
@Suite struct ServeCommandTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func curlDanceAgainstTheDemoTool() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-serve-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let server = try RunningProcess(try Subprocess.l402Binary, ["serve", "--demo", "--port", "0", "--data-dir", dataDirectory])
        let port = try await server.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
        #expect(server.output.contains("MOVES NO REAL MONEY"))

        let script = Self.repositoryRoot.appendingPathComponent("scripts/l402-dance.sh").path
        let dance = try Subprocess.run("bash", [script, "http://127.0.0.1:\(port)", "/echo/hello?from=test"])
        #expect(dance.status == 0, "\(dance.stdout)\n\(dance.stderr)")
        #expect(dance.stdout.contains("l402-dance: OK"))
        #expect(dance.stdout.contains("Paid call received"))

        #expect(try await server.terminate() == 0, "graceful shutdown on SIGTERM; output:\n\(server.output)")
        #expect(FileManager.default.fileExists(atPath: dataDirectory + "/l402.sqlite"))
        // One request line per tool request on stderr (the default level is info).
        #expect(server.output.contains("outcome=challenged"), "\(server.output)")
        #expect(server.output.contains("outcome=paid"), "\(server.output)")
    }

    @Test func logLevelNoticeDropsTheRequestLines() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-serve-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let server = try RunningProcess(
            try Subprocess.l402Binary, ["serve", "--demo", "--port", "0", "--data-dir", dataDirectory, "--log-level", "notice"])
        let port = try await server.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
        let challenge = try Subprocess.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/echo/"])
        #expect(challenge.stdout == "402")
        #expect(try await server.terminate() == 0)
        #expect(!server.output.contains("outcome="), "\(server.output)")
        #expect(server.output.contains("listening on"))
    }

    @Test func badConfigIsRejectedWithLineAndReason() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("l402-bad-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "tools:\n  - slug: weather\n    upstream: http://127.0.0.1:9\n    price_sats: lots\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Subprocess.l402(["serve", "--config", file])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file):4:"), "\(result.stderr)")
        #expect(result.stderr.contains("tools[0].price_sats"), "\(result.stderr)")
    }
}
