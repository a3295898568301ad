import Foundation
import L402
import Testing

@testable import Storage

@Suite struct SecretStoreTests {
    @Test(arguments: KeyStoreKind.allCases)
    func storesAndReadsBackOneKeyPerToken(_ kind: KeyStoreKind) async throws {
        let store = try kind.make()
        let token = TokenID.random(), key = randomKey()
        #expect(try await store.secret(for: token) == nil)
        try await store.storeRootKey(key, for: token, purchase: samplePurchase, unpaidExpiresAt: Date().addingTimeInterval(600), paidExpiresAt: nil)
        #expect(try await store.secret(for: token) == StoredSecret(rootKey: key, isPaid: false, purchase: samplePurchase))
        #expect(try await store.rootKey(for: token) == key)
        #expect(try await store.rootKey(for: .random()) == nil)
        await #expect(throws: DuplicateTokenID.self) {
            try await store.storeRootKey(randomKey(), for: token, purchase: samplePurchase, unpaidExpiresAt: Date(), paidExpiresAt: nil)
        }
        #expect(try await store.rootKey(for: token) == key, "a refused duplicate must not overwrite the key")
    }

    @Test(arguments: KeyStoreKind.allCases)
    func revocationDeletesTheKeyAtOnce(_ kind: KeyStoreKind) async throws {
        let store = try kind.make()
        let token = TokenID.random()
        try await store.storeRootKey(randomKey(), for: token, purchase: samplePurchase, unpaidExpiresAt: Date().addingTimeInterval(600), paidExpiresAt: nil)
        #expect(try await store.deleteRootKey(for: token))
        #expect(try await store.secret(for: token) == nil)
        #expect(try await store.deleteRootKey(for: token) == false)
    }

    /// Unpaid challenges are collected once their invoice expired; a paid token lives to its own expiry.
    @Test(arguments: KeyStoreKind.allCases)
    func collectsUnpaidAfterInvoiceExpiryButKeepsPaidTokens(_ kind: KeyStoreKind) async throws {
        let store = try kind.make()
        let now = Date()
        let unpaid = TokenID.random(), paid = TokenID.random(), paidButExpired = TokenID.random(), fresh = TokenID.random()
        try await store.storeRootKey(randomKey(), for: unpaid, purchase: samplePurchase, unpaidExpiresAt: now.addingTimeInterval(-1), paidExpiresAt: nil)
        try await store.storeRootKey(randomKey(), for: paid, purchase: samplePurchase, unpaidExpiresAt: now.addingTimeInterval(-1), paidExpiresAt: nil)
        try await store.storeRootKey(
            randomKey(), for: paidButExpired, purchase: samplePurchase, unpaidExpiresAt: now.addingTimeInterval(-100), paidExpiresAt: now.addingTimeInterval(-1))
        try await store.storeRootKey(randomKey(), for: fresh, purchase: samplePurchase, unpaidExpiresAt: now.addingTimeInterval(600), paidExpiresAt: nil)
        try await store.markPaid(paid)
        try await store.markPaid(paid)  // idempotent
        try await store.markPaid(paidButExpired)
        try await store.markPaid(.random())  // unknown token: no-op

        #expect(try await store.deleteExpiredSecrets(before: now) == 2)
        #expect(try await store.secret(for: unpaid) == nil)
        #expect(try await store.secret(for: paidButExpired) == nil)
        #expect(try await store.secret(for: paid)?.isPaid == true)
        #expect(try await store.secret(for: fresh)?.isPaid == false)
        #expect(try await store.deleteExpiredSecrets(before: now) == 0)
    }

    /// A key stored before purchases were recorded (migration v4 adds the columns as NULL) reads back without one.
    @Test func aKeyStoredBeforePurchasesReadsBackWithoutOne() async throws {
        let store = try StoreKind.sqlite.make() as! SQLiteStore
        let token = TokenID.random(), key = randomKey()
        try await store.storeRootKey(key, for: token, purchase: samplePurchase, unpaidExpiresAt: Date().addingTimeInterval(600), paidExpiresAt: nil)
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE root_keys SET purchase_tool = NULL, purchase_sats = NULL, purchase_calls = NULL")
        }
        #expect(try await store.secret(for: token) == StoredSecret(rootKey: key, isPaid: false, purchase: nil))
        try await store.pool.write { db in try db.execute(sql: "UPDATE root_keys SET purchase_tool = 'weather'") }
        await #expect(throws: StorageError.corruptRow("purchase of a root key")) { try await store.secret(for: token) }
    }
}
