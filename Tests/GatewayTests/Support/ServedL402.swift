import Foundation
import Storage
import TestSupport

/// A real `l402 serve` child process (the built binary, dev node, SQLite in a temporary directory,
/// ports 0) configured by a YAML file, in front of the upstreams of the test, for the duration of
/// one test. Requests and the L402 dance come from `GatewayEndpoint`.
struct ServedL402: GatewayEndpoint {
    let base: String
    let dataDirectory: String

    /// Starts `l402 serve` with the configuration `yaml(upstreamPorts)` (an `EchoUpstream` per entry
    /// of `upstreams`), runs `body`, then stops it with SIGTERM, which must exit 0.
    static func with<T: Sendable>(
        upstreams: Int = 1, yaml: @Sendable ([Int]) -> String, _ body: @Sendable (ServedL402) async throws -> T
    ) async throws -> T {
        try await withEchoUpstreams(upstreams, ports: []) { ports in
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("l402-served-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: root) }
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let config = root + "/gateway.yaml"
            try yaml(ports).write(toFile: config, atomically: true, encoding: .utf8)
            let process = try RunningProcess(
                try Subprocess.l402Binary, ["serve", "--config", config, "--port", "0", "--admin-port", "0", "--data-dir", root + "/data"])
            do {
                let port = try await process.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
                let result = try await body(ServedL402(base: "http://127.0.0.1:\(port)", dataDirectory: root + "/data"))
                let status = try await process.terminate()
                guard status == 0 else { throw HarnessError("l402 serve exited \(status) on SIGTERM:\n\(process.output)") }
                return result
            } catch {
                _ = try? await process.terminate()
                throw HarnessError("\(error)\nl402 serve output:\n\(process.output)")
            }
        }
    }

    private static func withEchoUpstreams<T: Sendable>(
        _ count: Int, ports: [Int], _ body: @Sendable ([Int]) async throws -> T
    ) async throws -> T {
        guard ports.count < count else { return try await body(ports) }
        return try await RunningServer.with(EchoUpstream()) { port in try await withEchoUpstreams(count, ports: ports + [port], body) }
    }

    /// The gateway's own database, opened a second time.
    func store() throws -> SQLiteStore { try SQLiteStore(path: dataDirectory + "/l402.sqlite") }
}
