import Foundation
import TestSupport

/// One bash process that runs a page's commands in order, as a reader's terminal would: shell
/// variables set by one command are there for the next. Each command's stdin is /dev/null and
/// its stderr goes with its stdout.
final class ShellSession: @unchecked Sendable {
    private let process: ChildProcess
    private let input = Pipe()
    private let lock = NSLock()
    private var buffer = ""
    private static let sentinel = "@@docs-command-done@@"

    /// Starts bash in `directory` with `environment` added, after running `prelude` (functions, variables).
    init(directory: URL, environment: [String: String], prelude: String) throws {
        let output = Pipe()
        process = try ChildProcess(
            executable: URL(fileURLWithPath: "/bin/bash"), arguments: ["--noprofile", "--norc"],
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, currentDirectory: directory,
            standardInput: input, standardOutput: output, standardError: output)
        // Set once self is whole; what the child wrote meanwhile waits in the pipe.
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.buffer += String(decoding: data, as: UTF8.self) }
        }
        write("exec 2>&1\n" + prelude + "\n")
    }

    /// Runs `command`; returns its output and exit status. Throws if it takes longer than `seconds`.
    func run(_ command: String, seconds: Double = 60) async throws -> (output: String, status: Int32) {
        lock.withLock { buffer = "" }
        write("{\n\(command)\n} </dev/null\nprintf '\\n%s %d\\n' '\(Self.sentinel)' $?\n")
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = lock.withLock { buffer }
            if let range = text.range(of: "\n\(Self.sentinel) "), let end = text[range.upperBound...].firstIndex(of: "\n") {
                return (String(text[..<range.lowerBound]), Int32(text[range.upperBound..<end]) ?? -1)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let why = process.isRunning ? "did not finish within \(Int(seconds)) s" : "ended the shell"
        process.terminate()
        throw Transcript.Problem(description: "`\(command)` \(why); output so far:\n\(lock.withLock { buffer })")
    }

    private func write(_ text: String) {
        input.fileHandleForWriting.write(Data(text.utf8))
    }

    /// Ends the shell.
    func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
