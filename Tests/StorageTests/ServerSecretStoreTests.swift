import Foundation
import L402
import TestSupport
import Testing

@testable import Storage

/// The server's shared secrets (the Payment binding key): the first candidate stored under a name is
/// the one every caller gets, on every store and across gateways sharing a database.
@Suite struct ServerSecretStoreTests {
    @Test(arguments: KeyStoreKind.allCases)
    func theFirstCandidateIsKeptAndNamesAreIndependent(_ kind: KeyStoreKind) async throws {
        let store = try kind.makeServerSecrets()
        let first = randomKey(), second = randomKey(), other = randomKey()
        #expect(try await store.serverSecret(named: "payment-binding", candidate: first) == first)
        #expect(try await store.serverSecret(named: "payment-binding", candidate: second) == first, "a later candidate is ignored")
        #expect(try await store.serverSecret(named: "other", candidate: other) == other)
        #expect(try await store.serverSecret(named: "payment-binding", candidate: []) == first)
    }

    /// Callers racing with different candidates: one wins, and all of them get its bytes.
    @Test(arguments: KeyStoreKind.allCases)
    func concurrentCallersWithDifferentCandidatesGetTheSameBytes(_ kind: KeyStoreKind) async throws {
        let store = try kind.makeServerSecrets()
        let candidates = (0..<16).map { _ in randomKey() }
        let answers = try await Self.race(candidates, on: candidates.map { _ in store })
        #expect(Set(answers).count == 1 && candidates.contains(answers[0]), "\(answers.count) callers, one secret")
    }

    /// Two gateways (two store instances) on one database file or PostgreSQL schema agree on the secret,
    /// even when they ask at the same moment; it survives them.
    @Test(arguments: StoreKind.allCases)
    func twoStoresOnOneDatabaseAgree(_ kind: StoreKind) async throws {
        let (first, second, reopen) = try kind.makePairOnOneDatabase()
        let candidates = (0..<12).map { _ in randomKey() }
        let answers = try await Self.race(candidates, on: candidates.indices.map { $0.isMultiple(of: 2) ? first : second })
        #expect(Set(answers).count == 1 && candidates.contains(answers[0]))
        let later = try reopen()
        #expect(try await later.serverSecret(named: "payment-binding", candidate: randomKey()) == answers[0])
        for store in [first, second, later] { await (store as? PostgresStore)?.shutdown() }
    }

    /// Asks `stores[i]` with `candidates[i]`, all at once; the answers in no particular order.
    private static func race(_ candidates: [[UInt8]], on stores: [any ServerSecretStore]) async throws -> [[UInt8]] {
        try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for (candidate, store) in zip(candidates, stores) {
                group.addTask { try await store.serverSecret(named: "payment-binding", candidate: candidate) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}

extension KeyStoreKind {
    /// A fresh store of this kind, as a `ServerSecretStore`.
    func makeServerSecrets() throws -> any ServerSecretStore {
        switch self {
        case .inMemory: InMemorySecretStore()
        case .sqlite: try StoreKind.sqlite.make()
        case .postgres: try StoreKind.postgres.make()
        }
    }
}

extension StoreKind {
    /// Two stores on one fresh database, and a way to open a third on it later.
    func makePairOnOneDatabase() throws -> (any PaywallStore, any PaywallStore, () throws -> any PaywallStore) {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("l402-pair-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("gateway.sqlite").path
            let first = try SQLiteStore(path: path)
            return (first, try SQLiteStore(path: path), { try SQLiteStore(path: path) })
        case .postgres:
            let schema = TestPostgres.uniqueSchema()
            return (try Self.postgresStore(schema: schema), try Self.postgresStore(schema: schema), { try Self.postgresStore(schema: schema) })
        }
    }
}
