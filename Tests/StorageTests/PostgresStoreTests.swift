import Foundation
import L402
import TestSupport
import Testing

@testable import Storage

/// What only the PostgreSQL store has: migrations shared by several gateways, and outages.
@Suite(.enabled(if: TestPostgres.shouldRun, "needs the PostgreSQL test cluster (make test)"))
struct PostgresStoreTests {
    /// Several gateways starting at once on one empty database: one applies each migration, all see it,
    /// and they share the data.
    @Test func concurrentStartupsMigrateOnceAndShareTheData() async throws {
        let schema = TestPostgres.uniqueSchema()
        let gateways = try (0..<6).map { _ in try StoreKind.postgresStore(schema: schema) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for gateway in gateways { group.addTask { try await gateway.migrate() } }
            try await group.waitForAll()
        }
        for gateway in gateways {
            #expect(try await gateway.appliedMigrations() == PostgresStore.migrationVersions)
        }
        let token = TokenID.random(), key = randomKey()
        try await gateways[0].storeRootKey(key, for: token, purchase: samplePurchase, unpaidExpiresAt: Date().addingTimeInterval(60), paidExpiresAt: nil)
        #expect(try await gateways[5].rootKey(for: token) == key)
        for gateway in gateways { await gateway.shutdown() }
        // A restart finds everything applied and the data still there.
        let restarted = try StoreKind.postgresStore(schema: schema)
        try await restarted.migrate()
        #expect(try await restarted.appliedMigrations() == PostgresStore.migrationVersions)
        #expect(try await restarted.rootKey(for: token) == key)
        await restarted.shutdown()
    }

    /// The heart of scale-out: two gateways (two pools) reserving calls of one token at once.
    @Test func twoGatewaysNeverOverspendOneToken() async throws {
        let schema = TestPostgres.uniqueSchema()
        let first = try StoreKind.postgresStore(schema: schema), second = try StoreKind.postgresStore(schema: schema)
        let token = try await paidToken(in: first)
        let counts = try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<60 {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask { try await store.reserve(token, limit: 7) }
            }
            return try await group.reduce(into: [Int]()) { if let n = $1 { $0.append(n) } }
        }
        #expect(counts.sorted() == Array(1...7), "each reservation sees its own count")
        #expect(try await second.callsUsed(for: token) == 7)
        await first.shutdown()
        await second.shutdown()
    }

    /// A gateway that cannot log in says why at startup, with the server's reason and without the password.
    @Test func wrongPasswordIsReportedWithTheServersReason() async throws {
        var settings = try PostgresSettings(url: TestPostgres.databaseURL())
        settings.password = "not-the-password-\(UUID().uuidString)"
        let store = PostgresStore(settings: settings)
        let error = await #expect(throws: DatabaseUnavailable.self) { try await store.checkConnection() }
        #expect(error?.reason.contains("28P01") == true, "\(String(describing: error))")  // invalid_password
        #expect(error?.description.contains(settings.password ?? "") == false)
        await store.shutdown()
    }

    @Test func shutDownStoreFailsAsUnavailable() async throws {
        let store = try StoreKind.postgresStore()
        try await store.migrate()
        await store.shutdown()
        await #expect(throws: DatabaseUnavailable.self) { try await store.callsUsed(for: .random()) }
    }
}

/// No cluster needed: nothing listens on the port.
@Suite struct PostgresOutageTests {
    @Test func unreachableDatabaseFailsAsUnavailableWithinItsTimeout() async throws {
        var settings = try PostgresSettings(url: "postgres://l402:secret-password@127.0.0.1:1/l402?timeout=1")
        settings.poolSize = 2
        let store = PostgresStore(settings: settings)
        let error = await #expect(throws: DatabaseUnavailable.self) { try await store.secret(for: .random()) }
        #expect(error?.description.contains("secret-password") == false)
        await #expect(throws: DatabaseUnavailable.self) { try await store.reserve(.random(), limit: 1) }
        await store.shutdown()
    }
}
