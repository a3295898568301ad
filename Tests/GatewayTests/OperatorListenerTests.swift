import Foundation
import Logging
import NIOHTTP1
import Testing

@testable import Gateway

/// Tools never share an origin with the operator surface: the public listener serves tools,
/// `/_l402/health` and the dev endpoints; the operator listener the admin API, dashboard and metrics.
@Suite struct OperatorListenerTests {
    static let operatorPaths: [(method: NIOHTTP1.HTTPMethod, path: String)] = [
        (.GET, "/_l402/admin/tools"), (.POST, "/_l402/admin/tools/weather/disable"), (.GET, "/_l402/admin/usage"),
        (.GET, "/_l402/metrics"), (.GET, "/_l402/dashboard"), (.POST, "/_l402/dashboard/login"),
        (.POST, "/_l402/dashboard/logout"), (.GET, "/_l402/nothing"),
    ]

    @Test func thePublicListenerAnswers404ForTheOperatorSurface() async throws {
        try await GatewayHarness.with(tools: AdminToolsAPITests.weather) { gateway in
            for (method, path) in Self.operatorPaths {
                let response = try await gateway.send(
                    method, path, authorization: "Bearer \(GatewayHarness.adminToken)", body: method == .POST ? "token=x" : nil)
                #expect(response.status == 404, "\(method) \(path)")
                #expect(response.headers.first(name: "Set-Cookie") == nil)
                #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(response.body.utf8)).error == "not_found", "\(path)")
            }
            // The login form on the public port sets no cookie, even with the right token.
            let login = try await gateway.send(
                .POST, "/_l402/dashboard/login", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: "token=\(GatewayHarness.adminToken)")
            #expect(login.status == 404 && login.headers["Set-Cookie"].isEmpty)
            // What the public listener does serve.
            #expect(try await gateway.send(.GET, "/_l402/health").status == 200)
            #expect(try await gateway.send(.GET, "/weather/today").status == 402)
            let token = try await gateway.buy("/weather/today")  // the dev endpoints: /_l402/dev/pay
            #expect(try await gateway.send(.GET, "/weather/today", authorization: "L402 \(token.macaroon):\(token.preimage)").status == 200)
            #expect(!token.preimage.isEmpty)
        }
    }

    @Test func theOperatorListenerServesOnlyTheOperatorSurface() async throws {
        try await GatewayHarness.with(tools: AdminToolsAPITests.weather) { gateway in
            let listener = gateway.operatorListener
            #expect(gateway.adminPort != gateway.port)
            #expect(try await gateway.admin(.GET, "tools").status == 200)
            #expect(try await listener.send(.GET, "/_l402/metrics").status == 200)
            #expect(try await gateway.request(.GET, "/_l402/dashboard").status == 401)
            #expect(try await listener.send(.GET, "/_l402/health").status == 200)
            // No tools here, and no dev payments either.
            let tool = try await listener.send(.GET, "/weather/today")
            #expect(tool.status == 404)
            #expect(try JSONDecoder().decode(ErrorJSON.self, from: Data(tool.body.utf8)).error == "not_found")
            #expect(try await listener.send(.POST, "/_l402/dev/pay", body: #"{"invoice":"lnbcrt1"}"#).status == 404)
            #expect(try await listener.send(.GET, "/_l402/nothing").status == 404)
        }
    }

    /// A taken `admin_listen` address stops the gateway with an error that names that listener.
    @Test func aTakenOperatorAddressIsNamedInTheError() async throws {
        try await GatewayHarness.with(tools: AdminToolsAPITests.weather) { running in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-taken-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var configuration = GatewayConfiguration(port: 0, dataDirectory: directory, adminToken: GatewayHarness.adminToken)
            configuration.adminPort = running.adminPort
            var quiet = Logger(label: "second-gateway")
            quiet.logLevel = .critical
            let second = GatewayServer(configuration: configuration, logger: quiet)
            do {
                try await second.run(gracefulShutdownSignals: [])
                Issue.record("a second gateway started on a taken admin_listen port")
            } catch let failure as ListenerStartFailure {
                #expect(failure.listeners == ["admin_listen 127.0.0.1:\(running.adminPort)"])
                #expect(failure.description.contains("could not start admin_listen 127.0.0.1:\(running.adminPort)"))
            }
            #expect(try await running.operatorListener.send(.GET, "/_l402/health").status == 200)
        }
    }
}
