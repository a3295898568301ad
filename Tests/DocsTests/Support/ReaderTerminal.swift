import Foundation
import TestSupport

/// What a reader of one page has at hand: `l402 serve --demo` running with its data in `./data`
/// (as after `make run`), and a shell in that directory with the built `l402` on PATH.
///
/// Pages address the gateway's public listener as `127.0.0.1:8402` and its operator listener (admin
/// API, dashboard, metrics) as `127.0.0.1:8403`; this one listens on free ports, so those texts are
/// replaced in commands (and back in their output), and `l402 tools|usage|invocations|revoke` get
/// `--gateway` for the operator listener (their default is 127.0.0.1:8403). Tokens bought with
/// `l402 fetch` go to `./tokens`, not the home directory.
final class ReaderTerminal {
    let directory: URL
    private let gateway: RunningProcess
    private let shell: ShellSession
    /// Documented address (`127.0.0.1:8402`) → the address this gateway really listens on.
    private let addresses: [String: String]
    private var matcher = OutputMatcher()

    /// The addresses pages use, and the line with which `l402 serve` announces each real port.
    /// (A listener added to the gateway is one more entry here, and its port option in `serveArguments`.)
    static let listeners: [(documented: String, announcement: String)] = [
        ("127.0.0.1:8402", #"listening on http://127\.0\.0\.1:(\d+)"#),
        ("127.0.0.1:8403", #"admin API, dashboard and metrics on http://127\.0\.0\.1:(\d+)"#),
    ]
    static let serveArguments = ["serve", "--demo", "--port", "0", "--admin-port", "0"]
    /// The address the admin commands (`l402 tools|usage|invocations|revoke`) talk to by default.
    static let adminAddress = "127.0.0.1:8403"

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-docs-\(UUID().uuidString)")
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let l402 = try Subprocess.l402Binary
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("l402").path, withDestinationPath: l402)
        gateway = try RunningProcess(l402, Self.serveArguments + ["--data-dir", directory.appendingPathComponent("data").path])
        var addresses: [String: String] = [:]
        for listener in Self.listeners {
            addresses[listener.documented] = "127.0.0.1:" + (try await gateway.waitForOutput(matching: listener.announcement))
        }
        self.addresses = addresses
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        shell = try ShellSession(
            directory: directory, environment: ["PATH": path, "L402_TOKEN_DIR": directory.appendingPathComponent("tokens").path],
            prelude: """
                l402() { case "$1" in tools|usage|invocations|revoke) command l402 "$@" --gateway http://\(addresses[Self.adminAddress]!);; *) command l402 "$@";; esac; }
                """)
    }

    /// Runs the block's commands in order; returns what differed from the page.
    func follow(_ block: MarkdownBlock) async throws -> [String] {
        var problems: [String] = []
        for step in try Transcript.steps(of: block) {
            var command = try matcher.resolve(step.command)
            for (documented, real) in addresses { command = command.replacingOccurrences(of: documented, with: real) }
            var (output, status) = try await shell.run(command)
            for (documented, real) in addresses { output = output.replacingOccurrences(of: real, with: documented) }
            if status != 0 {
                problems.append("\(block): `\(step.command)` exited \(status):\n\(output)")
            } else if let expected = step.expected, let why = matcher.check(expected: expected, output: output) {
                problems.append("\(block): `\(step.command)`: \(why)")
            }
        }
        return problems
    }

    /// Stops the shell and the gateway (which must exit cleanly) and removes the directory.
    func close() async throws -> Int32 {
        shell.close()
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await gateway.terminate()
    }
}
