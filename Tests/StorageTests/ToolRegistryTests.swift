import L402
import Foundation
import Storage
import Testing

@Suite struct ToolRegistryTests {
    private static let weather = ToolConfiguration(
        slug: "weather", upstream: URL(string: "https://api.example.com/v1")!, priceSats: 21, calls: 5, validForSeconds: 3600,
        description: "Forecasts", prices: [PriceRule(method: "POST", pathPrefix: "/bulk", priceSats: 100)],
        freeCallsPerDay: 3, schemes: [.l402])

    @Test(arguments: StoreKind.allCases)
    func addsReadsAndListsEveryField(_ kind: StoreKind) async throws {
        let registry = try kind.make()
        #expect(try await registry.allTools().isEmpty)
        #expect(try await registry.addTool(Self.weather))
        let search = ToolConfiguration(slug: "search", upstream: URL(string: "http://127.0.0.1:9000")!, priceSats: 1)
        #expect(try await registry.addTool(search))
        #expect(try await registry.tool(slug: "weather") == Self.weather)
        #expect(try await registry.tool(slug: "nope") == nil)
        #expect(try await registry.tool(slug: "search")?.schemes == [.l402, .payment])
        #expect(try await registry.allTools().map(\.slug) == ["search", "weather"])
        #expect(try await registry.allTools() == [search, Self.weather])
    }

    @Test(arguments: StoreKind.allCases)
    func addingATakenSlugChangesNothing(_ kind: StoreKind) async throws {
        let registry = try kind.make()
        #expect(try await registry.addTool(Self.weather))
        var other = Self.weather
        other.priceSats = 1
        other.upstream = URL(string: "http://elsewhere.example")!
        #expect(try await registry.addTool(other) == false)
        #expect(try await registry.tool(slug: "weather") == Self.weather)
    }

    @Test(arguments: StoreKind.allCases)
    func updatesEveryFieldAndRefusesUnknownSlugs(_ kind: StoreKind) async throws {
        let registry = try kind.make()
        #expect(try await registry.addTool(Self.weather))
        var changed = Self.weather
        changed.upstream = URL(string: "http://10.0.0.7:8080/base")!
        changed.priceSats = 34
        changed.calls = 1
        changed.validForSeconds = nil
        changed.description = nil
        changed.prices = []
        changed.freeCallsPerDay = 0
        changed.enabled = false
        changed.schemes = [.payment]
        #expect(try await registry.updateTool(changed))
        #expect(try await registry.tool(slug: "weather") == changed)
        var unknown = changed
        unknown.slug = "unknown"
        #expect(try await registry.updateTool(unknown) == false)
        #expect(try await registry.allTools().map(\.slug) == ["weather"])
    }
}

@Suite struct FreeCallStoreTests {
    @Test(arguments: StoreKind.allCases)
    func countsPerToolClientAndDay(_ kind: StoreKind) async throws {
        let store = try kind.make()
        for _ in 0..<2 { #expect(try await store.takeFreeCall(tool: "echo", client: "10.0.0.1", day: "2026-11-25", limit: 2)) }
        #expect(try await store.takeFreeCall(tool: "echo", client: "10.0.0.1", day: "2026-11-25", limit: 2) == false)
        // Another client, another tool and the next day each have their own allowance.
        #expect(try await store.takeFreeCall(tool: "echo", client: "10.0.0.2", day: "2026-11-25", limit: 2))
        #expect(try await store.takeFreeCall(tool: "other", client: "10.0.0.1", day: "2026-11-25", limit: 2))
        #expect(try await store.takeFreeCall(tool: "echo", client: "10.0.0.1", day: "2026-11-26", limit: 2))
        #expect(try await store.takeFreeCall(tool: "echo", client: "10.0.0.3", day: "2026-11-25", limit: 0) == false)
    }

    @Test(arguments: StoreKind.allCases)
    func aReturnedCallCanBeTakenAgainButNeverBelowZero(_ kind: StoreKind) async throws {
        let store = try kind.make()
        #expect(try await store.takeFreeCall(tool: "echo", client: "c", day: "2026-11-25", limit: 1))
        try await store.returnFreeCall(tool: "echo", client: "c", day: "2026-11-25")
        try await store.returnFreeCall(tool: "echo", client: "c", day: "2026-11-25")
        #expect(try await store.takeFreeCall(tool: "echo", client: "c", day: "2026-11-25", limit: 1))
        #expect(try await store.takeFreeCall(tool: "echo", client: "c", day: "2026-11-25", limit: 1) == false)
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentTakersGetExactlyTheLimit(_ kind: StoreKind) async throws {
        let store = try kind.make()
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<40 {
                group.addTask { try await store.takeFreeCall(tool: "echo", client: "c", day: "2026-11-25", limit: 7) }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 7)
    }

    @Test(arguments: StoreKind.allCases)
    func prunesOnlyEarlierDays(_ kind: StoreKind) async throws {
        let store = try kind.make()
        for day in ["2026-11-23", "2026-11-24", "2026-11-25"] {
            #expect(try await store.takeFreeCall(tool: "echo", client: "c", day: day, limit: 1))
        }
        #expect(try await store.deleteFreeCalls(before: "2026-11-25") == 2)
        #expect(try await store.takeFreeCall(tool: "echo", client: "c", day: "2026-11-25", limit: 1) == false)
        #expect(try await store.takeFreeCall(tool: "echo", client: "c", day: "2026-11-24", limit: 1))
    }

    @Test func daysAreUTCCalendarDays() {
        // 2026-11-25T23:59:59Z and the next second fall on different days whatever the local time zone.
        let lastSecond = Date(timeIntervalSince1970: 1_795_651_199)
        #expect(FreeCallDay.string(for: lastSecond) == "2026-11-25")
        #expect(FreeCallDay.string(for: lastSecond.addingTimeInterval(1)) == "2026-11-26")
        #expect(FreeCallDay.string(for: Date(timeIntervalSince1970: 0)) == "1970-01-01")
    }
}
