import Foundation

/// What a finished child process left behind.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Test helpers for talking to real peers (pymacaroons, go-macaroon, the `bolt11` package, curl)
/// and to the `l402` binary built beside the test bundle.
public enum Subprocess {
    /// Why a peer could not be run. Interop tests fail on it: `make test-deps` installs every peer.
    public struct PeerMissing: Error, CustomStringConvertible {
        public var program: String
        public var description: String { "\(program) is not installed; run `make test-deps` (scripts/install-deps.sh test)" }
        public init(program: String) { self.program = program }
    }

    /// Runs `program` (a path, or a name looked up on PATH) with `arguments`, feeding `input` on stdin.
    @discardableResult
    public static func run(
        _ program: String, _ arguments: [String], input: String? = nil,
        environment: [String: String] = [:], currentDirectory: URL? = nil
    ) throws -> ProcessOutput {
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        let process = try ChildProcess(
            executable: try locate(program), arguments: arguments,
            environment: environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 },
            currentDirectory: currentDirectory, standardInput: stdin, standardOutput: stdout, standardError: stderr)
        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        let errData = LockedData()
        let errReader = Thread { errData.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
        errReader.start()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let outData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1000) }
        return ProcessOutput(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.get(), as: UTF8.self)
        )
    }

    /// Like `run`, but throws unless the process exits 0; returns its stdout.
    public static func output(
        _ program: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:]
    ) throws -> String {
        try succeeded(try run(program, arguments, input: input, environment: environment), program, arguments)
    }

    private static func succeeded(_ result: ProcessOutput, _ program: String, _ arguments: [String]) throws -> String {
        guard result.status == 0 else {
            throw Failure(description: "\(program) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout
    }

    /// A child process that exited non-zero.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The `l402` executable built by `swift build --build-tests` next to the test bundle.
    public static var l402Binary: String {
        get throws { try builtBinary(named: "l402") }
    }

    /// An executable of this package (`l402`, the example apps) built next to the test bundle.
    public static func builtBinary(named name: String) throws -> String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for dir in candidates {
            let path = dir.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw PeerMissing(program: "\(name) (build it with `swift build --build-tests`)")
    }

    /// Runs the built `l402` binary.
    @discardableResult
    public static func l402(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> ProcessOutput {
        try run(l402Binary, arguments, input: input, environment: environment)
    }

    /// Runs the built `l402` binary on a thread of its own, so async tests do not hold a thread of
    /// the cooperative pool (which in-process servers of the test may need) while it runs.
    public static func l402InBackground(_ arguments: [String], environment: [String: String] = [:]) async throws -> ProcessOutput {
        try await runInBackground(l402Binary, arguments, environment: environment)
    }

    /// `run` on a thread of its own, so async tests do not hold a thread of the cooperative pool
    /// (which in-process servers of the test may need) while the child runs.
    public static func runInBackground(
        _ program: String, _ arguments: [String], environment: [String: String] = [:]
    ) async throws -> ProcessOutput {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try run(program, arguments, environment: environment) }) }.start()
        }
    }

    /// `output` on a thread of its own: throws unless the process exits 0; returns its stdout.
    @discardableResult
    public static func outputInBackground(
        _ program: String, _ arguments: [String], environment: [String: String] = [:]
    ) async throws -> String {
        try succeeded(try await runInBackground(program, arguments, environment: environment), program, arguments)
    }

    static func locate(_ program: String) throws -> URL {
        if program.contains("/") { return URL(fileURLWithPath: program) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw PeerMissing(program: program)
    }
}

/// A one-shot box for data produced on another thread.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    func get() -> Data { lock.withLock { data ?? Data() } }
}
