import Foundation
import L402
import Lightning
import Storage
import TestSupport
import Testing

/// The database implementations every store test runs against. PostgreSQL runs when a test cluster
/// is configured (`make test` starts one; see `TestPostgres`).
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    static var allCases: [StoreKind] { TestPostgres.shouldRun ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }

    /// A fresh, empty, migrated store of this kind.
    func make() throws -> any PaywallStore {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return try SQLiteStore(path: directory.appendingPathComponent("gateway.sqlite").path)
        case .postgres:
            return try Self.postgresStore()
        }
    }

    /// A store in a schema of its own inside the test cluster (migrated on first use).
    static func postgresStore(schema: String = TestPostgres.uniqueSchema()) throws -> PostgresStore {
        var settings = try PostgresSettings(url: TestPostgres.databaseURL())
        settings.schema = schema
        settings.poolSize = 4  // many stores live at once while the tests run in parallel
        // A deadline, not a speed check: on a loaded machine connecting (SCRAM) and migrating can take seconds.
        settings.timeout = .seconds(60)
        return PostgresStore(settings: settings)
    }
}

/// The secret and usage contracts also hold for the in-memory stores that tests and the client use.
enum KeyStoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case inMemory
    case sqlite
    case postgres

    static var allCases: [KeyStoreKind] { [.inMemory] + StoreKind.allCases.map { $0 == .sqlite ? .sqlite : .postgres } }

    var testDescription: String { rawValue }

    func make() throws -> any SecretStore & TokenUsageStore {
        switch self {
        case .inMemory: return MemoryKeyStore()
        case .sqlite: return try StoreKind.sqlite.make()
        case .postgres: return try StoreKind.postgres.make()
        }
    }
}

/// The two in-memory actors of the L402 module behind one value, so the same checks run on them.
private struct MemoryKeyStore: SecretStore, TokenUsageStore {
    let secrets = InMemorySecretStore()
    let usage = InMemoryTokenUsageStore()

    func storeRootKey(_ key: [UInt8], for token: TokenID, purchase: Purchase, unpaidExpiresAt: Date, paidExpiresAt: Date?) async throws {
        try await secrets.storeRootKey(key, for: token, purchase: purchase, unpaidExpiresAt: unpaidExpiresAt, paidExpiresAt: paidExpiresAt)
    }
    func secret(for token: TokenID) async throws -> StoredSecret? { await secrets.secret(for: token) }
    func markPaid(_ token: TokenID) async throws { await secrets.markPaid(token) }
    func deleteRootKey(for token: TokenID) async throws -> Bool { await secrets.deleteRootKey(for: token) }
    func deleteExpiredSecrets(before date: Date) async throws -> Int { await secrets.deleteExpiredSecrets(before: date) }
    func reserveCall(for token: TokenID, limit: Int, takenAt: Date) async throws -> CallLease? {
        await usage.reserveCall(for: token, limit: limit, takenAt: takenAt)
    }
    func releaseCall(_ lease: CallLease) async throws -> Bool { await usage.releaseCall(lease) }
    func releaseExpiredLeases(takenBefore date: Date) async throws -> Int { await usage.releaseExpiredLeases(takenBefore: date) }
    func callsUsed(for token: TokenID) async throws -> Int { await usage.callsUsed(for: token) }
}

/// What the tests' tokens were sold as, unless a test says otherwise.
let samplePurchase = Purchase(tool: "weather", amountSats: 20, calls: 5)

extension TokenUsageStore {
    /// Leases one call now; the calls in use after it, nil when spent.
    func reserve(_ token: TokenID, limit: Int) async throws -> Int? {
        try await reserveCall(for: token, limit: limit, takenAt: Date())?.callsUsed
    }
}

func randomKey() -> [UInt8] { (0..<32).map { _ in UInt8.random(in: 0...255) } }
