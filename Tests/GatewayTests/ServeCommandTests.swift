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
        let server = try RunningProcess(try Subprocess.l402Binary, ["serve", "--demo", "--port", "0", "--admin-port", "0", "--data-dir", dataDirectory])
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
            try Subprocess.l402Binary, ["serve", "--demo", "--port", "0", "--admin-port", "0", "--data-dir", dataDirectory, "--log-level", "notice"])
        let port = try await server.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
        let challenge = try Subprocess.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/echo/"])
        #expect(challenge.stdout == "402")
        #expect(try await server.terminate() == 0)
        #expect(!server.output.contains("outcome="), "\(server.output)")
        #expect(server.output.contains("listening on"))
    }

    /// `--admin-host/--admin-port` place the operator listener; the public one answers 404 for the admin
    /// API, dashboard and metrics. The metrics page's `process_*` figures agree with what ps(1) and /proc
    /// say about the same process.
    @Test func theOperatorSurfaceIsOnItsOwnListener() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-serve-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let server = try RunningProcess(
            try Subprocess.l402Binary,
            ["serve", "--demo", "--port", "0", "--admin-host", "127.0.0.1", "--admin-port", "0", "--data-dir", dataDirectory],
            environment: ["L402_ADMIN_TOKEN": String(repeating: "a", count: 40)])
        let port = try await server.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
        let adminPort = try await server.waitForOutput(matching: AdminCommandTests.operatorListenerLine)
        #expect(port != adminPort)
        func curl(_ url: String) throws -> (status: String, body: String) {
            let result = try Subprocess.run("curl", ["-s", "-w", "\n%{http_code}", url])
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
        }
        for path in ["/_l402/metrics", "/_l402/dashboard", "/_l402/admin/tools"] {
            #expect(try curl("http://127.0.0.1:\(port)\(path)").status == "404", "\(path) on the public listener")
        }
        #expect(try curl("http://127.0.0.1:\(adminPort)/_l402/dashboard").status == "401")
        #expect(try curl("http://127.0.0.1:\(adminPort)/echo/").status == "404", "no tools on the operator listener")

        let scraped = try curl("http://127.0.0.1:\(adminPort)/_l402/metrics")
        #expect(scraped.status == "200")
        let metrics = try PrometheusText(scraped.body)
        let pid = "\(server.processIdentifier)"
        // ps: elapsed seconds, resident KiB, CPU seconds of the same process.
        let ps = try ["etimes", "rss", "times"].map { column in
            let output = try Subprocess.run("ps", ["-o", "\(column)=", "-p", pid]).stdout
            return try #require(Double(output.trimmingCharacters(in: .whitespacesAndNewlines)), "ps -o \(column): \(output)")
        }
        let startTime = try #require(metrics.value("process_start_time_seconds"))
        #expect(abs(startTime - (Date().timeIntervalSince1970 - ps[0])) < 3, "start \(startTime), ps elapsed \(ps[0])")
        let resident = try #require(metrics.value("process_resident_memory_bytes"))
        #expect(resident > ps[1] * 1024 / 2 && resident < ps[1] * 1024 * 2, "rss \(resident) vs ps \(ps[1]) KiB")
        let cpu = try #require(metrics.value("process_cpu_seconds_total"))
        #expect(cpu > 0 && cpu <= ps[2] + 1, "cpu \(cpu) vs ps \(ps[2])")
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
        let openFDs = try #require(metrics.value("process_open_fds"))
        #expect(abs(openFDs - Double(descriptors)) <= 4, "open fds \(openFDs) vs /proc \(descriptors)")
        #expect(metrics.value("l402_requests_total", ["tool": "echo", "outcome": "paid"]) == 0)
        #expect(try await server.terminate() == 0)
    }

    /// The operator listener may not be the public one: refused before anything starts.
    @Test func theSameAddressForBothListenersIsRefused() throws {
        let result = try Subprocess.l402(["serve", "--demo", "--port", "18402", "--admin-port", "18402", "--data-dir", "/nonexistent/l402"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("admin_listen (127.0.0.1:18402) must differ from listen (127.0.0.1:18402)"), "\(result.stderr)")
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
