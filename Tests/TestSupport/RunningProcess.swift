import Foundation

/// A child process left running while a test talks to it (e.g. `l402 serve`); its stderr and
/// stdout are collected as they arrive. Stop it with `terminate()`; it is killed on deinit.
public final class RunningProcess: @unchecked Sendable {
    private let process: ChildProcess
    private let lock = NSLock()
    private var collected = ""

    /// Starts `program` (a path, or a name on PATH) with `arguments`.
    public init(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let pipe = Pipe()
        process = try ChildProcess(
            executable: try Subprocess.locate(program), arguments: arguments,
            environment: environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 },
            standardOutput: pipe, standardError: pipe)
        // Set once self is whole; what the child wrote meanwhile waits in the pipe.
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.collected += String(decoding: data, as: UTF8.self) }
        }
    }

    /// The child's process id, e.g. to kill it at a chosen moment.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Everything the process wrote so far (stdout and stderr interleaved).
    public var output: String { lock.withLock { collected } }

    /// Waits until the output matches `pattern` (a regular expression) and returns the first capture
    /// group (or the whole match). Throws if the process exits or `seconds` pass first.
    public func waitForOutput(matching pattern: String, seconds: Double = 60) async throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = output
            if let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) {
                let range = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
                return String(text[Range(range, in: text)!])
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Subprocess.Failure(description: "no output matching /\(pattern)/ (running: \(process.isRunning), status \(process.terminationStatus)); output so far:\n\(output)")
    }

    /// Sends SIGTERM and waits (up to `seconds`) for the exit; returns the exit status.
    @discardableResult
    public func terminate(seconds: Double = 20) async throws -> Int32 {
        if process.isRunning { process.terminate() }
        do {
            return try await waitForExit(seconds: seconds)
        } catch {
            kill(process.processIdentifier, SIGKILL)
            throw Subprocess.Failure(description: "process did not exit within \(seconds) s of SIGTERM")
        }
    }

    /// Waits (up to `seconds`) for the process to end by itself; returns its exit status (the
    /// signal number when a signal ended it).
    @discardableResult
    public func waitForExit(seconds: Double = 60) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        guard !process.isRunning else { throw Subprocess.Failure(description: "process still running after \(seconds) s; output so far:\n\(output)") }
        return process.terminationStatus
    }
}
