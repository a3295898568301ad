import Foundation
import TestSupport

/// What a reader of one page has at hand: `l402 serve --demo` running with its data in `./data`
/// (as after `make run`), and a shell in that directory with the built `l402` on PATH.
///
/// Pages address the gateway as `127.0.0.1:8402`; this one listens on a free port, so that text
/// is replaced in commands (and back in their output), and `l402 tools|usage|invocations|revoke`
/// get `--gateway` for it (their default is 127.0.0.1:8402). Tokens bought with `l402 fetch` go
/// to `./tokens`, not the home directory.
final class ReaderTerminal {
    let directory: URL
    private let gateway: RunningProcess
    private let shell: ShellSession
    private let address: String
    private var matcher = OutputMatcher()
    static let documentedAddress = "127.0.0.1:8402"

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-docs-\(UUID().uuidString)")
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let l402 = try Subprocess.l402Binary
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("l402").path, withDestinationPath: l402)
        gateway = try RunningProcess(l402, ["serve", "--demo", "--port", "0", "--data-dir", directory.appendingPathComponent("data").path])
        let port = try await gateway.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
        address = "127.0.0.1:\(port)"
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        shell = try ShellSession(
            directory: directory, environment: ["PATH": path, "L402_TOKEN_DIR": directory.appendingPathComponent("tokens").path],
            prelude: """
                l402() { case "$1" in tools|usage|invocations|revoke) command l402 "$@" --gateway http://\(address);; *) command l402 "$@";; esac; }
                """)
    }

    /// Runs the block's commands in order; returns what differed from the page.
    func follow(_ block: MarkdownBlock) async throws -> [String] {
        var problems: [String] = []
        for step in try Transcript.steps(of: block) {
            let command = try matcher.resolve(step.command).replacingOccurrences(of: Self.documentedAddress, with: address)
            let (raw, status) = try await shell.run(command)
            let output = raw.replacingOccurrences(of: address, with: Self.documentedAddress)
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
