import Foundation
import TestSupport

/// A real Nostr relay for the tests: `nostr-relay` from PyPI (scripts/install-deps.sh installs it),
/// run on a free loopback port with its SQLite database in a temporary directory. It checks every
/// event's id and BIP-340 signature, so an event of ours it accepts is a valid NIP-01 event.
public final class NostrRelayProcess: Sendable {
    /// `ws://127.0.0.1:<port>`.
    public let url: String
    private let process: RunningProcess
    private let directory: String

    private init(url: String, process: RunningProcess, directory: String) {
        self.url = url
        self.process = process
        self.directory = directory
    }

    /// Starts a relay and waits until it accepts WebSocket connections.
    public static func start() async throws -> NostrRelayProcess {
        guard (try? Subprocess.run("python3", ["-c", "import nostr_relay"]).status) == 0 else {
            throw Subprocess.PeerMissing(program: "nostr-relay (PyPI)")
        }
        let directory = NSTemporaryDirectory() + "nostr-relay-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var lastFailure: (any Error)?
        for _ in 0..<3 {  // a port found free can be taken before the relay binds it: try another
            let port = try freeLoopbackPort()
            let config = directory + "/relay.yaml"
            try """
                DEBUG: false
                relay_name: swift-l402 tests
                storage:
                  sqlalchemy.url: sqlite+aiosqlite:///\(directory)/relay-\(port).sqlite3
                  validators:
                    - nostr_relay.validators.is_not_too_large
                    - nostr_relay.validators.is_signed
                    - nostr_relay.validators.is_recent
                gunicorn:
                  bind: 127.0.0.1:\(port)
                  workers: 1
                  loglevel: info
                  graceful_timeout: 2
                authentication:
                  enabled: false
                """.write(toFile: config, atomically: true, encoding: .utf8)
            // The test process blocks most signals in its threads and a child inherits that mask:
            // unblock them first, or the relay would never see SIGTERM.
            let launcher = "import signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
                + "from nostr_relay.cli import main; sys.argv = ['nostr-relay', '-c', sys.argv[1], 'serve']; main()"
            let process = try RunningProcess("python3", ["-c", launcher, config])
            do {
                _ = try await process.waitForOutput(matching: #"Listening at: http://127\.0\.0\.1:\#(port)"#, seconds: 120)
                _ = try await process.waitForOutput(matching: #"Connected to sqlite"#, seconds: 120)
                return NostrRelayProcess(url: "ws://127.0.0.1:\(port)", process: process, directory: directory)
            } catch {
                lastFailure = error
                _ = try? await process.terminate()
            }
        }
        throw lastFailure!
    }

    /// Stops the relay (gunicorn waits `graceful_timeout` for open connections) and removes its database.
    public func stop() async throws {
        try await process.terminate(seconds: 30)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// What the relay logged (for failure messages).
    public var output: String { process.output }
}

/// A TCP port on 127.0.0.1 that nothing listens on at the moment of asking.
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw Subprocess.Failure(description: "socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw Subprocess.Failure(description: "bind() to a free loopback port failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
