import Foundation
import TestSupport

/// One of the example apps (Examples/), run as its built binary on a free port with a fresh data
/// directory, for the duration of a test.
struct ExampleApp: Sendable {
    /// The executable's name in Package.swift.
    static let hummingbird = "HummingbirdPaywallExample"
    static let vapor = "VaporPaywallExample"
    static let all = [hummingbird, vapor]

    let base: String
    let dataDirectory: String

    static func with<T: Sendable>(_ name: String, _ body: @Sendable (ExampleApp) async throws -> T) async throws -> T {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("l402-example-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = try RunningProcess(try Subprocess.builtBinary(named: name), [], environment: ["PORT": "0", "DATA_DIR": directory])
        do {
            let port = try await process.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
            let result = try await body(ExampleApp(base: "http://127.0.0.1:\(port)", dataDirectory: directory))
            _ = try await process.terminate()
            return result
        } catch {
            _ = try? await process.terminate()
            throw error
        }
    }

    /// `l402 fetch` against a path of the app, paying through its dev node; returns (exit status, stdout, stderr).
    func fetch(_ path: String, tokenDirectory: String, maxSats: Int = 100) async throws -> ProcessOutput {
        try await Subprocess.l402InBackground([
            "fetch", base + path, "--wallet", "dev=\(base)", "--max-sats", "\(maxSats)", "--token-dir", tokenDirectory, "-v",
        ])
    }
}
