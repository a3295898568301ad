import AsyncHTTPClient
import Foundation
import L402Admin
import Gateway
import Storage
import TestSupport
import Testing

/// `l402 tools|usage|revoke`, the built binary against a running gateway.
@Suite struct AdminCommandTests {
    private func l402(_ gateway: GatewayHarness, _ arguments: [String], token: Bool = true, environment: [String: String] = [:]) async throws -> ProcessOutput {
        var all = arguments + ["--gateway", gateway.adminBase]
        if token { all += ["--admin-token", GatewayHarness.adminToken] }
        return try await Subprocess.l402InBackground(all, environment: environment)
    }

    /// The line `l402 serve` logs when its operator listener accepts requests; group 1 is the port.
    static let operatorListenerLine = #"admin API, dashboard and metrics on http://127\.0\.0\.1:(\d+)"#

    /// Every admin command talks to the operator listener unless told otherwise.
    @Test func theDefaultGatewayIsTheOperatorListener() throws {
        for command in [["tools", "list"], ["usage"], ["invocations"], ["revoke", String(repeating: "0", count: 64)]] {
            let help = try Subprocess.l402(command + ["--help"])
            #expect(help.stdout.contains("(default: http://127.0.0.1:8403)"), "\(command): \(help.stdout)")
        }
    }

    @Test func toolsListAddUpdateDisableEnable() async throws {
        try await GatewayHarness.with(tools: AdminToolsAPITests.weather) { gateway in
            let list = try await l402(gateway, ["tools", "list"])
            #expect(list.status == 0, "\(list.stderr)")
            let lines = list.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("SLUG") == true && lines.count == 2)
            #expect(lines.last?.contains("weather") == true && lines.last?.contains("10 sats") == true && lines.last?.contains("enabled") == true)

            let upstream = try await gateway.admin(.GET, "tools/weather", as: AdminTool.self).upstream
            let add = try await l402(gateway, [
                "tools", "add", "maps", "--upstream", upstream, "--price-sats", "7", "--price", "POST /bulk=50", "--valid-for", "60",
            ])
            #expect(add.status == 0 && add.stdout == "added /maps/\n", "\(add.stdout)\(add.stderr)")
            #expect(try await gateway.challenge("/maps/bulk", method: .POST).amount_sats == 50)
            #expect(try await gateway.challenge("/maps/tile").amount_sats == 7)

            let update = try await l402(
                gateway, ["tools", "update", "maps", "--price-sats", "9", "--no-prices", "--no-valid-for", "--schemes", "payment"])
            #expect(update.status == 0, "\(update.stderr)")
            let maps = try await gateway.admin(.GET, "tools/maps", as: AdminTool.self)
            #expect(maps.priceSats == 9 && maps.prices.isEmpty && maps.validFor == nil && maps.upstream == upstream)
            #expect(maps.schemes == [.payment])
            let offers = try await gateway.send(.GET, "/maps/tile").headers["WWW-Authenticate"]
            #expect(offers.count == 1 && offers.first?.hasPrefix("Payment ") == true)
            let badScheme = try await l402(gateway, ["tools", "update", "maps", "--schemes", "l402,bolt12"])
            #expect(badScheme.status != 0 && badScheme.stderr.contains("unknown payment scheme 'bolt12'"), "\(badScheme.stderr)")
            #expect(try await l402(gateway, ["tools", "update", "maps", "--schemes", "l402, payment"]).status == 0)

            #expect(try await l402(gateway, ["tools", "disable", "maps"]).stdout == "disabled /maps/\n")
            #expect(try await gateway.send(.GET, "/maps/tile").status == 404)
            #expect(try await l402(gateway, ["tools", "enable", "maps"]).stdout == "enabled /maps/\n")
            #expect(try await gateway.send(.GET, "/maps/tile").status == 402)

            let json = try await l402(gateway, ["tools", "list", "--json"])
            let tools = try JSONDecoder().decode(AdminToolList.self, from: Data(json.stdout.utf8)).tools
            #expect(tools.map(\.slug) == ["maps", "weather"])
        }
    }

    @Test func theGatewaysRefusalsArePrintedWithTheField() async throws {
        try await GatewayHarness.with(tools: AdminToolsAPITests.weather) { gateway in
            let bad = try await l402(gateway, ["tools", "add", "x", "--upstream", "ftp://nope", "--price-sats", "1"])
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("upstream: expected an http:// or https:// URL") && bad.stderr.contains("invalid_field"), "\(bad.stderr)")
            let taken = try await l402(gateway, ["tools", "add", "weather", "--upstream", "http://127.0.0.1:9", "--price-sats", "1"])
            #expect(taken.status != 0 && taken.stderr.contains("tool_exists"), "\(taken.stderr)")
            let unknown = try await l402(gateway, ["tools", "disable", "nope"])
            #expect(unknown.status != 0 && unknown.stderr.contains("unknown_tool"), "\(unknown.stderr)")
            let wrongToken = try await Subprocess.l402InBackground(["tools", "list", "--gateway", gateway.adminBase, "--admin-token", "not-the-token"])
            #expect(wrongToken.status != 0 && wrongToken.stderr.contains("unauthorized"), "\(wrongToken.stderr)")
            let badDate = try await l402(gateway, ["usage", "--since", "last week"])
            #expect(badDate.status != 0 && badDate.stderr.contains("since: expected an RFC 3339 time"), "\(badDate.stderr)")
        }
    }

    @Test func theTokenComesFromTheEnvironmentOrTheDataDirectory() async throws {
        // No configured token: the gateway generates <data dir>/admin.token.
        try await GatewayHarness.with(configure: { $0.adminToken = nil }, tools: AdminToolsAPITests.weather) { gateway in
            let fromFile = try await l402(gateway, ["tools", "list", "--data-dir", gateway.dataDirectory], token: false)
            #expect(fromFile.status == 0 && fromFile.stdout.contains("weather"), "\(fromFile.stderr)")
            let value = try String(contentsOfFile: gateway.dataDirectory + "/admin.token", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let fromEnvironment = try await l402(gateway, ["tools", "list"], token: false, environment: ["L402_ADMIN_TOKEN": value])
            #expect(fromEnvironment.status == 0 && fromEnvironment.stdout.contains("weather"), "\(fromEnvironment.stderr)")
            let none = try await l402(gateway, ["tools", "list", "--data-dir", gateway.dataDirectory + "/missing"], token: false, environment: ["L402_ADMIN_TOKEN": ""])
            #expect(none.status != 0 && none.stderr.contains("no admin token"), "\(none.stderr)")
        }
    }

    @Test func usageTableAndRevoke() async throws {
        try await GatewayHarness.with(tools: RevocationTests.fiveCalls) { gateway in
            let token = try await gateway.buy("/weather/now")
            let credential = "L402 \(token.macaroon):\(token.preimage)"
            #expect(try await gateway.send(.GET, "/weather/now", authorization: credential).status == 200)

            let usage = try await l402(gateway, ["usage", "--tool", "weather", "--since", "2026-01-01"])
            #expect(usage.status == 0, "\(usage.stderr)")
            let total = try #require(usage.stdout.split(separator: "\n").first { $0.hasPrefix("TOTAL") })
            // Calls, paid, free, sats, then paid calls and sats of L402 and of Payment.
            #expect(usage.stdout.split(separator: "\n").first { $0.hasPrefix("TOOL") }?.contains("L402 PAID  L402 SATS  PAYMENT PAID  PAYMENT SATS") == true)
            #expect(total.split(separator: " ") == ["TOTAL", "1", "1", "0", "2", "1", "2", "0", "0"], "\(usage.stdout)")
            let later = try await l402(gateway, ["usage", "--since", "2099-01-01T00:00:00+02:00"])
            #expect(later.status == 0 && later.stdout.contains("TOTAL  0"), "\(later.stdout)\(later.stderr)")
            let json = try await l402(gateway, ["usage", "--json"])
            #expect(try JSONDecoder().decode(AdminUsageReport.self, from: Data(json.stdout.utf8)).total.sats == 2)

            let calls = try await l402(gateway, ["invocations", "--tool", "weather", "--limit", "1"])
            #expect(calls.status == 0, "\(calls.stderr)")
            let rows = calls.stdout.split(separator: "\n")
            #expect(rows.count == 2 && rows[0].hasPrefix("TIME") && rows[1].contains(" paid ") && rows[1].contains("weather"), "\(calls.stdout)")
            #expect(rows[1].split(separator: " ")[2...3] == ["paid", "l402"], "outcome, then scheme: \(calls.stdout)")
            let tokenID = try #require(rows[1].split(separator: " ").last.map(String.init))
            #expect(try await gateway.invocations(tool: "weather").first?.tokenID == tokenID)
            let revoke = try await l402(gateway, ["revoke", tokenID])
            #expect(revoke.status == 0 && revoke.stdout == "revoked \(tokenID)\n", "\(revoke.stderr)")
            #expect(try await gateway.send(.GET, "/weather/now", authorization: credential).status == 401)
            let again = try await l402(gateway, ["revoke", tokenID])
            #expect(again.status != 0 && again.stderr.contains("unknown_token"), "\(again.stderr)")
        }
    }

    @Test func invocationsArePagedWithTheNextOffset() async throws {
        try await GatewayHarness.with(tools: AdminToolsAPITests.weather) { gateway in
            try await AdminLedgerAPITests.seed(gateway)
            let first = try await l402(gateway, ["invocations", "--limit", "2"])
            let lines = first.stdout.split(separator: "\n")
            #expect(first.status == 0 && lines.count == 4 && lines.last == "more: --offset 2", "\(first.stdout)\(first.stderr)")
            #expect(lines[1].contains("upstream_error") && lines[1].hasSuffix("-"), "\(first.stdout)")
            let last = try await l402(gateway, ["invocations", "--limit", "2", "--offset", "4", "--since", "2026-11-18"])
            #expect(last.status == 0 && last.stdout.split(separator: "\n").count == 2 && !last.stdout.contains("more:"), "\(last.stdout)")
            let bad = try await l402(gateway, ["invocations", "--limit", "0"])
            #expect(bad.status != 0 && bad.stderr.contains("limit: expected a whole number in 1...1000"), "\(bad.stderr)")
        }
    }

    /// `l402 serve` prints a generated admin token once, at creation; a restart serves the demo tool
    /// at its new port and never shows the token again.
    @Test func theGeneratedTokenIsPrintedOnceAndTheDemoToolSurvivesARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-admin-serve-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var token = ""
        for run in 0..<2 {
            let server = try RunningProcess(try Subprocess.l402Binary, ["serve", "--demo", "--port", "0", "--admin-port", "0", "--data-dir", directory])
            let port = try await server.waitForOutput(matching: #"listening on http://127\.0\.0\.1:(\d+)"#)
            let adminPort = try await server.waitForOutput(matching: Self.operatorListenerLine)
            if run == 0 {
                token = try await server.waitForOutput(matching: #"admin token \(generated into .*admin\.token, mode 0600; shown only this once\): ([0-9a-f]{64})"#)
                let file = try String(contentsOfFile: directory + "/admin.token", encoding: .utf8)
                #expect(file.trimmingCharacters(in: .whitespacesAndNewlines) == token)
            }
            let list = try await Subprocess.l402InBackground(["tools", "list", "--gateway", "http://127.0.0.1:\(adminPort)", "--data-dir", directory])
            #expect(list.status == 0 && list.stdout.contains("echo"), "\(list.stderr)")
            let refused = try await Subprocess.l402InBackground(["tools", "list", "--gateway", "http://127.0.0.1:\(adminPort)", "--admin-token", "x"])
            #expect(refused.status != 0)
            // The public listener has no admin API.
            let onPublic = try await Subprocess.l402InBackground(["tools", "list", "--gateway", "http://127.0.0.1:\(port)", "--data-dir", directory])
            #expect(onPublic.status != 0 && onPublic.stderr.contains("not_found"), "\(onPublic.stderr)")
            let echo = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/echo/hi"), timeout: .seconds(30))
            #expect(echo.status.code == 402, "run \(run)")
            #expect(try await server.terminate() == 0)
            let mentions = server.output.components(separatedBy: token).count - 1
            #expect(mentions == (run == 0 ? 1 : 0), "run \(run): the token must be shown once, at creation, and never logged")
        }
    }
}
