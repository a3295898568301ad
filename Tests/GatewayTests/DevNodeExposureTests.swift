import Foundation
import TestSupport
import Testing

@testable import Gateway

/// The dev node settles any invoice for anyone (`POST /_l402/dev/pay`): the gateway refuses to run
/// it on a public address unless the operator says so.
@Suite struct DevNodeExposureTests {
    /// `listen: "host:8402"`, IPv6 in brackets.
    static func listen(_ host: String) -> String {
        "listen: \"\(host.contains(":") ? "[\(host)]" : host):8402\"\n"
    }

    @Test(arguments: ["127.0.0.1", "127.8.9.10", "::1", "localhost", "LOCALHOST", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"])
    func loopbackAddressesAreFine(_ host: String) throws {
        let configuration = try ConfigurationLoader.parse(Self.listen(host))
        #expect(configuration.lightning == .dev && !configuration.allowDevOnPublicAddress)
        try configuration.checkDevNodeExposure()
    }

    @Test(arguments: ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "203.0.113.7", "2001:db8::1", "example.com", "127.0.0.1.example.com", "localhost.example.com", "128.0.0.1"])
    func anyOtherAddressIsRefusedWithTheReason(_ host: String) throws {
        let configuration = try ConfigurationLoader.parse(Self.listen(host), file: "gw.yaml")
        let error = try #require(throws: ConfigurationError.self) { try configuration.checkDevNodeExposure() }
        #expect(error.field == "listen")
        #expect(error.reason.contains("dev Lightning node"), "\(error)")
        #expect(error.reason.contains("anyone"), "\(error)")
        #expect(error.reason.contains("allow_dev_on_public"), "\(error)")
    }

    @Test func theOperatorMayAllowItExplicitly() throws {
        let configuration = try ConfigurationLoader.parse("listen: 0.0.0.0:8402\nallow_dev_on_public: true\n")
        #expect(configuration.allowDevOnPublicAddress)
        try configuration.checkDevNodeExposure()
    }

    @Test func aRealNodeMayListenAnywhere() throws {
        let configuration = try ConfigurationLoader.parse(
            "listen: 0.0.0.0:8402\nlightning:\n  backend: lnd\n  rest_url: https://127.0.0.1:8080\n  macaroon: 00ff\n")
        try configuration.checkDevNodeExposure()
    }

    @Test func theSwitchIsABoolean() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try ConfigurationLoader.parse("allow_dev_on_public: yes please\n", file: "gw.yaml")
        }
        #expect(error.field == "allow_dev_on_public" && error.line == 1, "\(error)")
        #expect(error.reason.contains("true or false"), "\(error)")
    }

    // MARK: - The `l402 serve` binary

    @Test func serveRefusesTheDevNodeOnAPublicAddress() throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-exposed-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let result = try Subprocess.l402(["serve", "--demo", "--host", "0.0.0.0", "--port", "0", "--data-dir", dataDirectory])
        #expect(result.status == 2, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("dev Lightning node"), "\(result.stderr)")
        #expect(result.stderr.contains("--allow-dev-on-public"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dataDirectory), "refused before creating any state")
    }

    @Test func serveRunsTheDevNodeOnAPublicAddressWhenAllowed() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-exposed-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let server = try RunningProcess(
            try Subprocess.l402Binary,
            ["serve", "--demo", "--host", "0.0.0.0", "--port", "0", "--data-dir", dataDirectory, "--allow-dev-on-public"])
        _ = try await server.waitForOutput(matching: #"listening on http://0\.0\.0\.0:(\d+)"#)
        #expect(try await server.terminate() == 0, "\(server.output)")
    }
}
