import L402
import Foundation
import L402Admin
import Gateway
import Storage
import Testing

@testable import Gateway

/// The registry behind the request path: seeding from the config, the live table, reloads.
@Suite struct ToolRegistryTests {
    private static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("l402-registry-\(UUID().uuidString)").path
    }

    /// Admin changes survive a restart with the same config; a tool new in the config is added.
    @Test func configSeedsButRegisteredToolsWin() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await GatewayHarness.with(dataDirectory: directory, tools: AdminToolsAPITests.weather) { gateway in
            _ = try await gateway.admin(.PATCH, "tools/weather", body: #"{"price_sats":25}"#, as: AdminTool.self)
            _ = try await gateway.admin(.POST, "tools/weather/disable", as: AdminTool.self)
        }
        try await GatewayHarness.with(dataDirectory: directory, tools: { ports in
            AdminToolsAPITests.weather(ports) + [ToolConfiguration(slug: "maps", upstream: URL(string: "http://127.0.0.1:\(ports[0])")!, priceSats: 2)]
        }) { gateway in
            let tools = try await gateway.admin(.GET, "tools", as: AdminToolList.self).tools
            #expect(tools.map(\.slug) == ["maps", "weather"])
            #expect(tools.last?.priceSats == 25 && tools.last?.enabled == false)
            #expect(try await gateway.send(.GET, "/weather/x").status == 404)
            #expect(try await gateway.challenge("/maps/x").amount_sats == 2)
        }
    }

    @Test func seedingAddsOnlyMissingTools() async throws {
        let store = try SQLiteStore(path: Self.temporaryDirectory() + ".sqlite")
        let upstream = URL(string: "http://127.0.0.1:9")!
        let seeder = ToolSeeder(registry: store, logger: .init(label: "test"))
        try await seeder.seed([ToolConfiguration(slug: "a", upstream: upstream, priceSats: 1)])
        try await seeder.seed([
            ToolConfiguration(slug: "a", upstream: upstream, priceSats: 99), ToolConfiguration(slug: "b", upstream: upstream, priceSats: 2),
        ])
        #expect(try await store.allTools().map(\.priceSats) == [1, 2])

        // The demo tool follows its upstream's port, keeping the admin's other changes.
        var demo = ToolConfiguration(slug: "echo", upstream: URL(string: "http://127.0.0.1:1000")!, priceSats: 5)
        try await seeder.seedDemo(demo)
        demo.priceSats = 8
        _ = try await store.updateTool(demo)
        try await seeder.seedDemo(ToolConfiguration(slug: "echo", upstream: URL(string: "http://127.0.0.1:2000")!, priceSats: 5))
        let echo = try #require(try await store.tool(slug: "echo"))
        #expect(echo.upstream.absoluteString == "http://127.0.0.1:2000" && echo.priceSats == 8)
    }

    /// A tool another gateway adds to the shared database is served here after the next reload.
    @Test func theLiveTableSeesChangesMadeThroughTheDatabase() async throws {
        try await GatewayHarness.with(
            configure: { $0.toolRefreshInterval = .milliseconds(100) }, tools: AdminToolsAPITests.weather
        ) { gateway in
            #expect(try await gateway.send(.GET, "/maps/x").status == 404)
            let otherGateway = try gateway.store()
            let upstream = try #require(try await otherGateway.tool(slug: "weather")).upstream
            #expect(try await otherGateway.addTool(ToolConfiguration(slug: "maps", upstream: upstream, priceSats: 4)))
            var weather = try #require(try await otherGateway.tool(slug: "weather"))
            weather.enabled = false
            #expect(try await otherGateway.updateTool(weather))

            #expect(try await eventually { try await gateway.send(.GET, "/maps/x").status == 402 })
            #expect(try await eventually { try await gateway.send(.GET, "/weather/x").status == 404 })
        }
    }

    /// Two gateways on one database: what the admin API changes on one, the other serves after its next reload.
    @Test func aSecondGatewayOnTheSameDatabaseFollowsTheFirstsAdminChanges() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fast: @Sendable (inout GatewayConfiguration) -> Void = { $0.toolRefreshInterval = .milliseconds(100) }
        try await GatewayHarness.with(dataDirectory: directory, configure: fast, tools: AdminToolsAPITests.weather) { first in
            try await GatewayHarness.with(dataDirectory: directory, configure: fast, tools: AdminToolsAPITests.weather) { second in
                let upstream = try await first.admin(.GET, "tools/weather", as: AdminTool.self).upstream
                _ = try await first.admin(
                    .POST, "tools", body: #"{"slug":"maps","upstream":"\#(upstream)","price_sats":6}"#, expecting: 201, as: AdminTool.self)
                _ = try await first.admin(.POST, "tools/weather/disable", as: AdminTool.self)
                #expect(try await eventually { try await second.send(.GET, "/maps/x").status == 402 })
                #expect(try await eventually { try await second.send(.GET, "/weather/x").status == 404 })
                #expect(try await second.challenge("/maps/x").amount_sats == 6)
            }
        }
    }

    @Test func aReloadReadBeforeALocalChangeDoesNotUndoIt() {
        let upstream = URL(string: "http://127.0.0.1:9")!
        let table = ToolTable([ToolConfiguration(slug: "a", upstream: upstream, priceSats: 1)])
        let before = table.generation
        table.put(ToolConfiguration(slug: "b", upstream: upstream, priceSats: 2))
        // A reload that read the registry before `b` was added is dropped...
        #expect(!table.replace(with: [ToolConfiguration(slug: "a", upstream: upstream, priceSats: 1)], ifUnchangedSince: before))
        #expect(table.tool(slug: "b")?.priceSats == 2)
        // ...and one that read it afterwards applies.
        #expect(table.replace(with: [ToolConfiguration(slug: "c", upstream: upstream, priceSats: 3)], ifUnchangedSince: table.generation))
        #expect(table.all.map(\.slug) == ["c"])
    }
}
