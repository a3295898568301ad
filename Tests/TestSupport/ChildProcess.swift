import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, for the few things the tests need of one: pipes or
/// /dev/null as its standard streams, its pid, whether it still runs, SIGTERM, and its exit status.
///
/// Why not `Foundation.Process`: on Linux its `run()` emulates close-on-exec by reading
/// `/proc/self/fd`, copying 256 bytes of every short directory entry, and once the test process holds
/// more than about 1,300 descriptors (this suite reaches 1,800 while its suites start) that read
/// runs past glibc's buffer and the whole test process dies with SIGSEGV
/// (swiftlang/swift-corelibs-foundation#5472, fixed after Swift 6.3). Here the child closes every
/// inherited descriptor above stderr with glibc's `posix_spawn_file_actions_addclosefrom_np`.
public final class ChildProcess: @unchecked Sendable {
    /// The child's pid.
    public let processIdentifier: pid_t
    private let lock = NSLock()
    private var waitStatus: Int32?
    /// The pipes it was given, kept alive with it as `Foundation.Process` does: a `Pipe` closes its
    /// descriptors when released, and the child would then write into a pipe nobody reads.
    private let pipes: [Pipe]

    /// Starts `executable` with `arguments` (without argv[0]) and `environment` (the whole
    /// environment; nil: this process's), in `currentDirectory` when given. A nil stream is /dev/null.
    /// The child's ends of the pipes are closed here once it started.
    public init(
        executable: URL, arguments: [String], environment: [String: String]? = nil, currentDirectory: URL? = nil,
        standardInput: Pipe? = nil, standardOutput: Pipe? = nil, standardError: Pipe? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard devNull >= 0 else { throw Subprocess.Failure(description: "cannot open /dev/null: errno \(errno)") }
        defer { close(devNull) }
        let streams: [(Int32, Int32)] = [
            (standardInput?.fileHandleForReading.fileDescriptor ?? devNull, STDIN_FILENO),
            (standardOutput?.fileHandleForWriting.fileDescriptor ?? devNull, STDOUT_FILENO),
            (standardError?.fileHandleForWriting.fileDescriptor ?? devNull, STDERR_FILENO),
        ]
        for (source, target) in streams { posix_spawn_file_actions_adddup2(&actions, source, target) }
        guard GNUSpawn.addCloseFrom(&actions, 3) == 0 else { throw Subprocess.Failure(description: "posix_spawn: closefrom failed") }
        if let currentDirectory, GNUSpawn.addChdir(&actions, currentDirectory.path) != 0 {
            throw Subprocess.Failure(description: "posix_spawn: cannot change to \(currentDirectory.path)")
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, as Foundation.Process does: a signal meant for the test run does not reach it.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let environment = environment ?? ProcessInfo.processInfo.environment
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw Subprocess.Failure(description: "cannot start \(executable.path): \(String(cString: strerror(result)))")
        }
        processIdentifier = pid
        pipes = [standardInput, standardOutput, standardError].compactMap { $0 }
        try? standardInput?.fileHandleForReading.close()
        try? standardOutput?.fileHandleForWriting.close()
        try? standardError?.fileHandleForWriting.close()
    }

    deinit {
        guard isRunning else { return }
        terminate()
        // Reap it once it is gone, so no zombie outlives the test that started it.
        let pid = processIdentifier
        Thread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }.start()
    }

    /// Whether the child has not exited yet (reaps it when it has).
    public var isRunning: Bool {
        lock.withLock {
            guard waitStatus == nil else { return false }
            var status: Int32 = 0
            if waitpid(processIdentifier, &status, WNOHANG) == processIdentifier { waitStatus = status }
            return waitStatus == nil
        }
    }

    /// Sends SIGTERM.
    public func terminate() { kill(processIdentifier, SIGTERM) }

    /// Blocks until the child exits.
    public func waitUntilExit() {
        while isRunning {
            var status: Int32 = 0
            let reaped = waitpid(processIdentifier, &status, 0)
            if reaped == processIdentifier {
                lock.withLock { waitStatus = status }
            } else if reaped == -1 && errno != EINTR {
                break
            }
        }
    }

    /// The exit status, or the number of the signal that ended it (as `Foundation.Process` reports
    /// them); -1 while it runs.
    public var terminationStatus: Int32 {
        guard let status = lock.withLock({ waitStatus }) else { return -1 }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : signal
    }
}

/// glibc's GNU extensions to `posix_spawn` (2.29 and 2.34; Debian 12 has 2.36), which the Glibc module
/// does not import (they are declared only with `_GNU_SOURCE`): looked up once by name.
private enum GNUSpawn {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias Chdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let addCloseFrom: CloseFrom = function("posix_spawn_file_actions_addclosefrom_np")
    static let addChdir: Chdir = function("posix_spawn_file_actions_addchdir_np")

    private static func function<F>(_ name: String) -> F {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            fatalError("\(name) is missing: glibc 2.34 or later is needed")
        }
        return unsafeBitCast(symbol, to: F.self)
    }
}
